extern alias DeclCnnAttributes;
extern alias DeclCnnRuntime;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using DeclCnn.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DeclCnn.Generators.Tests.Infrastructure;

/// <summary>Runs the DeclCnn generator and analyzer in-process on source text, as the compiler would.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    private static readonly Lazy<MetadataReference> RuntimeReference = new(static () =>
        MetadataReference.CreateFromFile(typeof(DeclCnnRuntime::DeclCnn.Runtime.Interchange.Onnx.OnnxGraphBuilder).Assembly.Location));

    /// <summary>Everything one run produced; <see cref="DeclCnnDiagnostics"/> holds the generator's and the analyzer's.</summary>
    public sealed record RunResult(
        Compilation OutputCompilation,
        ImmutableArray<Diagnostic> DeclCnnDiagnostics,
        ImmutableArray<GeneratedSourceResult> GeneratedSources)
    {
        /// <summary>Errors and warnings of compiling the user code together with the generated code.</summary>
        public ImmutableArray<Diagnostic> CompilationDiagnostics =>
            OutputCompilation.GetDiagnostics().Where(static d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();

        public string Source(string hintName) =>
            GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();
    }

    /// <summary>
    /// The user code as a project would compile it: with TorchSharp unless <paramref name="referenceTorchSharp"/> is
    /// false, and with DeclCnn.Runtime (so the generator also writes the ONNX export) when <paramref name="referenceRuntime"/> is true.
    /// </summary>
    public static CSharpCompilation CreateCompilation(IEnumerable<string> sources, bool referenceTorchSharp = true, bool referenceRuntime = false) =>
        CSharpCompilation.Create(
            "GeneratorTests",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Model{i}.cs")),
            References.Value
                .Where(r => referenceTorchSharp || !r.Display!.Contains("TorchSharp", StringComparison.Ordinal))
                .Concat(referenceRuntime ? new[] { RuntimeReference.Value } : Array.Empty<MetadataReference>()),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static RunResult Run(params string[] sources) => Run(CreateCompilation(sources));

    /// <summary>Runs the generator, or <paramref name="generator"/> where given (one built with a test probe).</summary>
    public static RunResult Run(Compilation compilation, DeclCnnGenerator? generator = null)
    {
        var driver = CreateDriver(generator).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null)
        {
            throw new InvalidOperationException("The generator threw.", result.Exception);
        }

        return new RunResult(output, result.Diagnostics.AddRange(AnalyzerDiagnostics(compilation)), result.GeneratedSources);
    }

    /// <summary>The <see cref="MissingInputAnalyzer"/>'s diagnostics; an exception in it fails the test (it would be AD0001).</summary>
    public static ImmutableArray<Diagnostic> AnalyzerDiagnostics(Compilation compilation)
    {
        Exception? thrown = null;
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, _, _) => thrown ??= exception,
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var diagnostics = compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new MissingInputAnalyzer()), options)
            .GetAnalyzerDiagnosticsAsync()
            .GetAwaiter()
            .GetResult();
        return thrown is null ? diagnostics : throw new InvalidOperationException("The analyzer threw.", thrown);
    }

    public static GeneratorDriver CreateDriver(DeclCnnGenerator? generator = null) =>
        CSharpGeneratorDriver.Create(
            new[] { (generator ?? new DeclCnnGenerator()).AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The framework the tests run on, plus the DSL attributes and TorchSharp (metadata only).
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(static path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll");
        var project = new[] { typeof(DeclCnnAttributes::DeclCnn.InputAttribute).Assembly.Location, typeof(TorchSharp.torch).Assembly.Location };
        return framework.Concat(project).Select(static path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
    }
}
