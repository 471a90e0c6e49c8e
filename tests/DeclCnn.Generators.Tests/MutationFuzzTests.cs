using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using CsCheck;
using DeclCnn.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;
using Xunit.Abstractions;

namespace DeclCnn.Generators.Tests;

/// <summary>
/// Fuzzes the generator with what an editor feeds it: the samples with random mutations — a
/// token deleted, an attribute list duplicated or moved, a number replaced by 0, a negative, a
/// huge value or a value of the wrong type, an unknown named argument, a misspelled string. The
/// generator must never throw, and must never emit code that fails to compile without reporting a
/// DCNN error.
/// </summary>
public class MutationFuzzTests
{
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("DECLCNN_FUZZ_CASES"), NumberStyles.None, CultureInfo.InvariantCulture, out var cases) ? cases : 200;

    private static readonly string[] Replacements =
    {
        "0", "-1", "2147483647", "int.MaxValue", "1.5", "\"x\"", "true", "long.MaxValue", "1 << 30", "new[] { 1 }", "new[] { 1, 2, 3 }", "null",
    };

    private static readonly string[] SampleFiles = Directory.GetFiles(RepositoryPaths.Samples, "*.cs").Order(StringComparer.Ordinal).ToArray();

    private readonly ITestOutputHelper output;

    public MutationFuzzTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public void Mutated_declarations_never_break_the_generator_or_its_output()
    {
        var sources = SampleFiles.Select(File.ReadAllText).ToArray();
        var diagnosed = 0;
        for (var i = 0; i < Cases; i++)
        {
            var random = new Random(i);
            var file = random.Next(sources.Length);
            var mutated = sources[file];
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                mutated = Mutate(mutated, random);
            }

            // The mutated file alone, with the blocks it may use.
            var result = RunWithoutThrowing(new[] { mutated }.Concat(sources.Where((_, j) => j != file && SampleFiles[j].EndsWith("Blocks.cs", StringComparison.Ordinal))).ToArray(), i);
            var dcnnErrors = result.DeclCnnDiagnostics.Any(static d => d.Id.StartsWith("DCNN", StringComparison.Ordinal));
            diagnosed += dcnnErrors ? 1 : 0;
            var generatedErrors = result.OutputCompilation.GetDiagnostics()
                .Where(static d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)
                .ToList();
            Assert.True(
                dcnnErrors || generatedErrors.Count == 0,
                $"Case {i}: generated code does not compile and no DCNN error explains it:\n{string.Join("\n", generatedErrors)}\n--- {Path.GetFileName(SampleFiles[file])} ---\n{mutated}");
        }

        output.WriteLine($"{Cases} mutated compilations, {diagnosed} with DCNN diagnostics.");
        Assert.True(diagnosed > 0, "The mutations should produce diagnosed declarations too.");
    }

    private static GeneratorHarness.RunResult RunWithoutThrowing(string[] sources, int index)
    {
        var result = GeneratorHarness.Run(sources);
        var failures = result.OutputCompilation.GetDiagnostics().Where(static d => d.Id is "CS8785" or "AD0001").ToList();
        Assert.True(failures.Count == 0, $"Case {index}: the generator failed: {string.Join("\n", failures)}");
        return result;
    }

    /// <summary>Applies one random edit to the attributes of a source file.</summary>
    private static string Mutate(string source, Random random)
    {
        var root = CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions).GetRoot();
        var lists = root.DescendantNodes().OfType<AttributeListSyntax>().ToList();
        var tokens = lists.SelectMany(static l => l.DescendantTokens()).ToList();
        if (lists.Count == 0 || tokens.Count == 0)
        {
            return source;
        }

        switch (random.Next(6))
        {
            case 0:
                var token = tokens[random.Next(tokens.Count)];
                return source.Remove(token.SpanStart, token.Span.Length);
            case 1:
                var duplicate = lists[random.Next(lists.Count)];
                return source.Insert(duplicate.FullSpan.End, duplicate.ToFullString());
            case 2:
                var moved = lists[random.Next(lists.Count)];
                var target = lists[random.Next(lists.Count)];
                var without = source.Remove(moved.FullSpan.Start, moved.FullSpan.Length);
                var at = target.FullSpan.Start > moved.FullSpan.Start ? target.FullSpan.Start - moved.FullSpan.Length : target.FullSpan.Start;
                return at < 0 || at > without.Length ? source : without.Insert(at, moved.ToFullString());
            case 3:
                var numbers = tokens.Where(static t => t.IsKind(SyntaxKind.NumericLiteralToken)).ToList();
                if (numbers.Count == 0)
                {
                    return source;
                }

                var number = numbers[random.Next(numbers.Count)];
                return source.Remove(number.SpanStart, number.Span.Length).Insert(number.SpanStart, Replacements[random.Next(Replacements.Length)]);
            case 4:
                var argumentLists = lists.SelectMany(static l => l.Attributes).Where(static a => a.ArgumentList is not null).ToList();
                if (argumentLists.Count == 0)
                {
                    return source;
                }

                var close = argumentLists[random.Next(argumentLists.Count)].ArgumentList!.CloseParenToken;
                return source.Insert(close.SpanStart, ", Unknown = 1");
            default:
                var strings = tokens.Where(static t => t.IsKind(SyntaxKind.StringLiteralToken)).ToList();
                if (strings.Count == 0)
                {
                    return source;
                }

                var text = strings[random.Next(strings.Count)];
                return source.Remove(text.SpanStart, text.Span.Length).Insert(text.SpanStart, "\"sam\"");
        }
    }
}
