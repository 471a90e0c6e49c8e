using System.IO;
using System.Linq;
using DeclCnn.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace DeclCnn.Generators.Tests;

/// <summary>
/// What an IDE feeds the generator while a user types: every prefix of a declaration, cut at each
/// token. The generator must never throw, and whenever it emits code, that code must compile
/// unless the user's own text already has errors.
/// </summary>
public class TypingRobustnessTests
{
    public static TheoryData<string> Declarations => new()
    {
        Path.Combine(RepositoryPaths.Samples, "SimpleCnn.cs"),
        Path.Combine(RepositoryPaths.Samples, "LeNet5.cs"),
        Path.Combine(RepositoryPaths.Root, "tests", "DeclCnn.Runtime.Tests", "Shapes", "ShapeRuleModels.cs"),
    };

    [Theory]
    [MemberData(nameof(Declarations))]
    public void Every_prefix_of_a_declaration_is_handled_without_a_generator_failure(string path)
    {
        var source = File.ReadAllText(path);
        var cuts = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().Select(static t => t.Span.End).Distinct().ToList();

        foreach (var cut in cuts)
        {
            var prefix = source[..cut];
            var result = GeneratorHarness.Run(prefix);

            var generatorFailures = result.OutputCompilation.GetDiagnostics().Where(static d => d.Id is "CS8785" or "AD0001");
            Assert.True(!generatorFailures.Any(), $"Generator failed on the prefix ending at {cut}:\n{prefix}");
            var userErrors = GeneratorHarness.CreateCompilation(new[] { prefix }).GetDiagnostics().Any(static d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
            if (!userErrors && result.DeclCnnDiagnostics.IsEmpty)
            {
                Assert.True(result.CompilationDiagnostics.IsEmpty, $"Generated code does not compile for the prefix ending at {cut}:\n{prefix}\n{string.Join("\n", result.CompilationDiagnostics)}");
            }
        }
    }
}
