extern alias DeclCnnGenerators;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using DeclCnnGenerators::DeclCnn.Generators;
using DeclCnn.Runtime.Native;
using DeclCnn.Runtime.Inspection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Oracle.Tests;

/// <summary>
/// Runs one declaration through the real pipeline (the generator in-process, Roslyn, TorchSharp)
/// and, independently, through layers built by hand with TorchSharp's factories.
/// </summary>
internal static class OracleHarness
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(static () =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(static path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Concat(new[] { typeof(InputAttribute).Assembly.Location, typeof(torch).Assembly.Location, typeof(TorchSharpNative).Assembly.Location })
            .Select(static path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray());

    /// <summary>What the generator made of a declaration.</summary>
    public sealed record Generated(ImmutableArray<Diagnostic> Diagnostics, CSharpCompilation Compilation);

    /// <summary>Each layer's output shape per sample and parameter count; from a summary, also its multiply-adds per sample.</summary>
    public sealed record Trace(IReadOnlyList<string> Rows, IReadOnlyList<long>? MultiplyAdds = null);

    public static Generated Generate(Declaration declaration) => Generate(declaration.Source());

    public static Generated Generate(string source)
    {
        var compilation = CSharpCompilation.Create(
            "Oracle" + Guid.NewGuid().ToString("N"),
            new[] { CSharpSyntaxTree.ParseText(source, ParseOptions) },
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create(new DeclCnnGenerator()).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        // The driver reports a generator's exception (CS8785) with the generator's diagnostics.
        var generatorFailures = diagnostics.Concat(output.GetDiagnostics()).Where(static d => d.Id is "CS8785" or "AD0001").ToList();
        if (generatorFailures.Count > 0)
        {
            throw new InvalidOperationException($"The generator failed:\n{string.Join("\n", generatorFailures)}\n{source}");
        }

        return new Generated(diagnostics, (CSharpCompilation)output);
    }

    /// <summary>
    /// Compiles the generated module, runs it on TorchSharp, and returns its measured trace, its
    /// compile-time summary, and the output of every module at any depth (blocks, nested stages,
    /// shortcuts and their layers) in the order their forward passes finish.
    /// </summary>
    public static (Trace Measured, Trace Compiled, Trace Modules) RunGenerated(object declaration, CSharpCompilation compilation)
    {
        using var image = new MemoryStream();
        var emit = compilation.Emit(image);
        if (!emit.Success)
        {
            throw new InvalidOperationException($"Generated code does not compile:\n{string.Join("\n", emit.Diagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error))}\n{declaration}");
        }

        var type = Assembly.Load(image.ToArray()).GetType(Declaration.ClassName)!;
        var compiled = (ModelSummary)type.GetProperty("Summary", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        using var model = (nn.Module<Tensor, Tensor>)Activator.CreateInstance(type, Declaration.ClassName)!;
        var measured = RuntimeSummary.Measure(model, compiled.InputShape);
        return (ToTrace(measured), ToTrace(compiled), MeasureEveryModule(model, compiled.InputShape));
    }

    /// <summary>Runs a batch of two with a forward hook on every submodule; a hook fires when its module's forward returns.</summary>
    private static Trace MeasureEveryModule(nn.Module<Tensor, Tensor> model, IReadOnlyList<long> inputShape)
    {
        var rows = new List<string>();
        var hooks = new List<Action>();
        try
        {
            foreach (var (_, child) in model.named_modules())
            {
                if (!ReferenceEquals(child, model) && child is nn.Module<Tensor, Tensor> module)
                {
                    var parameters = module.parameters().Sum(static p => p.numel());
                    hooks.Add(module.register_forward_hook((_, _, output) =>
                    {
                        rows.Add(Row(module.GetType().Name, output.shape.Skip(1), parameters));
                        return output;
                    }).remove);
                }
            }

            model.eval();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            model.call(zeros(inputShape.Prepend(2L).ToArray()));
        }
        finally
        {
            foreach (var remove in hooks)
            {
                remove();
            }
        }

        return new Trace(rows);
    }

    /// <summary>
    /// Builds each layer by hand from the tensor that reaches it and runs a batch of two through
    /// it; returns the trace, or the exception TorchSharp raised at construction or in forward.
    /// </summary>
    public static (Trace? Trace, Exception? Failure) RunByHand(Declaration declaration)
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var x = randn(2, declaration.Channels, declaration.Height, declaration.Width);
        var rows = new List<string>();
        try
        {
            foreach (var layer in declaration.Layers)
            {
                using var module = layer.Build(x.shape);
                module.eval();
                using (no_grad())
                {
                    x = module.call(x);
                }

                var parameters = module.parameters().Sum(static p => p.numel());
                rows.Add(Row(module.GetType().Name, x.shape.Skip(1), parameters));
            }

            return (new Trace(rows), null);
        }
        catch (Exception failure) when (failure is ExternalException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            return (null, failure);
        }
    }

    private static Trace ToTrace(ModelSummary summary) =>
        new(summary.Layers.Select(static l => Row(l.Type, l.OutputShape, l.Parameters)).ToList(), summary.Layers.Select(static l => l.MultiplyAdds).ToList());

    private static string Row(string type, IEnumerable<long> shape, long parameters) =>
        $"{type} [{string.Join(", ", shape)}] {parameters}";
}
