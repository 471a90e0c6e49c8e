using System;
using System.Linq;
using Xunit;

namespace DeclCnn.Generators.Tests.Infrastructure;

/// <summary>Asserts exactly which DCNN diagnostics a source produces, by id and span.</summary>
internal static class DiagnosticAssert
{
    /// <summary>
    /// Runs the generator on <paramref name="markup"/> and requires exactly the marked diagnostics:
    /// no more, no fewer, each at its marked span; and that code using its declarations compiles all the
    /// same (<see cref="DeclarationUses"/>), so that these are the only errors a user sees. With <paramref name="referenceTorchSharp"/> false,
    /// the compilation lacks TorchSharp, as a project without DeclCnn.Runtime would.
    /// </summary>
    public static GeneratorHarness.RunResult Reports(string markup, bool referenceTorchSharp = true)
    {
        var (source, expected) = Markup.Parse(markup);
        var result = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(new[] { source }, referenceTorchSharp));
        var actual = result.DeclCnnDiagnostics
            .Select(static d => (d.Id, d.Location.SourceSpan))
            .OrderBy(static d => d.SourceSpan.Start).ThenBy(static d => d.Id)
            .ToList();
        var wanted = expected.OrderBy(static d => d.Span.Start).ThenBy(static d => d.Id).ToList();
        Assert.True(
            wanted.SequenceEqual(actual),
            $"Expected [{string.Join(", ", wanted.Select(d => Describe(source, d.Id, d.Span)))}]\n" +
            $"Actual   [{string.Join(", ", actual.Select(d => Describe(source, d.Id, d.SourceSpan)))}]\n" +
            string.Join("\n", result.DeclCnnDiagnostics.Select(static d => d.ToString())));
        Assert.DoesNotContain(result.OutputCompilation.GetDiagnostics(), static d => d.Id is "CS8785" or "AD0001");
        DeclarationUses.CompileWithoutCascade(source, referenceTorchSharp);
        return result;
    }

    /// <summary>Requires that the source produces no DCNN diagnostic and compiles without warnings.</summary>
    public static GeneratorHarness.RunResult IsClean(string source)
    {
        var result = GeneratorHarness.Run(source);
        Assert.Empty(result.DeclCnnDiagnostics);
        Assert.Empty(result.CompilationDiagnostics);
        return result;
    }

    private static string Describe(string source, string id, Microsoft.CodeAnalysis.Text.TextSpan span) =>
        $"{id} at {span} '{source.Substring(span.Start, Math.Min(span.Length, 60))}'";
}
