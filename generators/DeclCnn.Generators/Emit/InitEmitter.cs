using System.Collections.Generic;
using System.Globalization;
using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Emit;

/// <summary>
/// Writes the weight initialization a class declares (<c>[WeightInit]</c>, a layer's <c>Init</c>):
/// one <c>torch.nn.init</c> call per weight, biases to zero, inside <c>no_grad</c>.
/// </summary>
internal static class InitEmitter
{
    private const string Init = "global::TorchSharp.torch.nn.init";

    /// <summary>The statements for the given layers; empty when nothing is declared.</summary>
    public static List<string> Statements(InitSpec? classInit, IEnumerable<(string Name, LayerSpec Spec)> layers)
    {
        var statements = new List<string>();
        foreach (var (name, spec) in layers)
        {
            var classKind = spec is DenseSpec ? classInit?.Dense : classInit?.Convolutions;
            var kind = spec.Init != WeightInit.Default ? spec.Init : classKind ?? WeightInit.Default;
            if (spec is not (ConvSpec or DenseSpec) || kind == WeightInit.Default)
            {
                continue;
            }

            statements.Add(Weight($"{name}.weight!", kind, classInit));
            if (spec is ConvSpec { Bias: true } or DenseSpec { Bias: true })
            {
                statements.Add($"{Init}.zeros_({name}.bias!);");
            }
        }

        return statements;
    }

    /// <summary>The initialization of the shortcut projection's convolution (the first module of <c>downsample</c>).</summary>
    public static string? Projection(InitSpec? classInit, string shortcut) =>
        classInit is null or { Convolutions: WeightInit.Default }
            ? null
            : Weight($"((global::TorchSharp.Modules.Conv2d){shortcut}[0]).weight!", classInit.Convolutions, classInit);

    /// <summary>Writes the statements in a <c>no_grad</c> scope.</summary>
    public static void Write(IndentedWriter writer, List<string> statements)
    {
        if (statements.Count == 0)
        {
            return;
        }

        writer.Line();
        using (writer.Block("using (global::TorchSharp.torch.no_grad())"))
        {
            foreach (var statement in statements)
            {
                writer.Line(statement);
            }
        }
    }

    private static string Weight(string weight, WeightInit kind, InitSpec? classInit)
    {
        var mode = classInit is { FanOut: true } ? "FanOut" : "FanIn";
        var kaiming = $"mode: {Init}.FanInOut.{mode}, nonlinearity: {Init}.NonlinearityType.ReLU";
        return kind switch
        {
            WeightInit.KaimingNormal => $"{Init}.kaiming_normal_({weight}, {kaiming});",
            WeightInit.KaimingUniform => $"{Init}.kaiming_uniform_({weight}, {kaiming});",
            WeightInit.XavierUniform => $"{Init}.xavier_uniform_({weight});",
            WeightInit.XavierNormal => $"{Init}.xavier_normal_({weight});",
            WeightInit.Normal => $"{Init}.normal_({weight}, std: {Number(classInit?.Std ?? 0.01)});",
            _ => $"{Init}.constant_({weight}, {Number(classInit?.Value ?? 0)});",
        };
    }

    private static string Number(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains(".") || text.Contains("E") ? text : text + ".0";
    }
}
