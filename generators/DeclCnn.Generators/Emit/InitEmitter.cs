using System.Collections.Generic;
using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Emit;

/// <summary>
/// Writes the weight initialization a class declares (<c>[WeightInit]</c>, a layer's <c>Init</c>):
/// one <c>torch.nn.init</c> call per weight, biases to zero, inside <c>no_grad</c>. Each kind says
/// whether its weight takes part (<see cref="Kinds.ModuleKind.Weights"/>).
/// </summary>
internal static class InitEmitter
{
    private const string TorchInit = "global::TorchSharp.torch.nn.init";

    /// <summary>The statements for the given layers: the declared initialization, and the normalization weights TorchSharp leaves unset; empty when there are none.</summary>
    public static List<string> Statements(InitSpec? classInit, IEnumerable<(string Name, ModuleSpec Spec)> layers)
    {
        var statements = new List<string>();
        foreach (var declared in Declared(classInit, layers))
        {
            statements.Add(Weight($"{declared.Layer}.weight!", declared.Kind, classInit));
            if (declared.ZeroBias)
            {
                statements.Add($"{TorchInit}.zeros_({declared.Layer}.bias!);");
            }
        }

        foreach (var (name, spec) in layers)
        {
            if (spec.Module.Weights(spec).Role == WeightRole.Normalization)
            {
                statements.Add($"{TorchInit}.ones_({name}.weight!);");
                statements.Add($"{TorchInit}.zeros_({name}.bias!);");
            }
        }

        return statements;
    }

    /// <summary>The layers whose weights a declaration initializes, and how: the layer's <c>Init</c>, else the class's kind for its role.</summary>
    public static List<DeclaredInit> Declared(InitSpec? classInit, IEnumerable<(string Name, ModuleSpec Spec)> layers)
    {
        var declared = new List<DeclaredInit>();
        foreach (var (name, spec) in layers)
        {
            var weights = spec.Module.Weights(spec);
            var classKind = weights.Role switch
            {
                WeightRole.Convolution => classInit?.Convolutions,
                WeightRole.Dense => classInit?.Dense,
                _ => null,
            };
            var kind = spec.Init != Init.Default ? spec.Init : classKind ?? Init.Default;
            if (weights.Role is WeightRole.Convolution or WeightRole.Dense && kind != Init.Default)
            {
                declared.Add(new DeclaredInit(name, kind, weights.HasBias));
            }
        }

        return declared;
    }

    /// <summary>The initialization of the shortcut projection's convolution (the first module of <c>downsample</c>).</summary>
    public static string? Projection(InitSpec? classInit, string shortcut) =>
        classInit is null or { Convolutions: Init.Default }
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

    private static string Weight(string weight, Init kind, InitSpec? classInit)
    {
        var defaults = new WeightInitAttribute(Init.Default);
        var mode = (classInit?.Mode ?? defaults.Mode).ToString();
        var kaiming = $"mode: {TorchInit}.FanInOut.{mode}, nonlinearity: {TorchInit}.NonlinearityType.ReLU";
        return kind switch
        {
            Init.KaimingNormal => $"{TorchInit}.kaiming_normal_({weight}, {kaiming});",
            Init.KaimingUniform => $"{TorchInit}.kaiming_uniform_({weight}, {kaiming});",
            Init.XavierUniform => $"{TorchInit}.xavier_uniform_({weight});",
            Init.XavierNormal => $"{TorchInit}.xavier_normal_({weight});",
            Init.Normal => $"{TorchInit}.normal_({weight}, std: {ModuleFactory.Number(classInit?.Std ?? defaults.Std)});",
            _ => $"{TorchInit}.constant_({weight}, {ModuleFactory.Number(classInit?.Value ?? defaults.Value)});",
        };
    }
}

/// <summary>A layer whose weight the declaration initializes: the kind of initialization, and whether its bias is zeroed.</summary>
internal readonly record struct DeclaredInit(string Layer, Init Kind, bool ZeroBias);
