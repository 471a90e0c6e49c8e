using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using DeclCnn.Runtime.Inference;
using DeclCnn.Samples;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SkiaSharp;
using Xunit;

namespace DeclCnn.Runtime.Tests.Inference;

/// <summary>
/// Every C# example of docs/inference.md compiles against the runtime and the samples. Each example becomes the body
/// of its own method; the variables that examples take from the text around them (<c>model</c>, <c>data</c>,
/// <c>classifier</c>) are fields, which an example's own declaration shadows.
/// </summary>
public partial class InferenceDocumentationTests
{
    [Fact]
    public void Every_csharp_example_compiles()
    {
        string document = File.ReadAllText(Path.Combine(FindRoot(), "docs", "inference.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        string[] examples = CodeBlock().Matches(document).Select(static m => m.Groups[1].Value).ToArray();
        Assert.True(examples.Length >= 6, $"docs/inference.md has {examples.Length} C# examples.");

        var usings = new StringBuilder();
        var methods = new StringBuilder();
        for (int i = 0; i < examples.Length; i++)
        {
            string[] lines = examples[i].Split('\n');
            foreach (string line in lines.Where(static l => l.StartsWith("using ", StringComparison.Ordinal) && !l.Contains('(', StringComparison.Ordinal) && !l.Contains('=', StringComparison.Ordinal)))
            {
                usings.AppendLine(line);
            }

            methods.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"    public static void Example{i}()\n    {{");
            foreach (string line in lines.Where(static l => !l.StartsWith("using ", StringComparison.Ordinal) || l.Contains('=', StringComparison.Ordinal)))
            {
                methods.AppendLine(line);
            }

            methods.AppendLine("    }");
        }

        string source = $$"""
            using System;
            using System.Collections.Generic;
            using System.IO;
            using DeclCnn.Runtime.Data;
            using DeclCnn.Runtime.Inference;
            using DeclCnn.Samples;
            using SkiaSharp;
            {{usings}}
            public static class Examples
            {
                private static SimpleCnn model = null!;
                private static TrainTestSplit data = null!;
                private static Classifier classifier = null!;
            {{methods}}
            }
            """;
        string[] trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = trusted
            .Concat([typeof(Classifier).Assembly.Location, typeof(SimpleCnn).Assembly.Location, typeof(ModelSummary).Assembly.Location,
                typeof(TorchSharp.torch).Assembly.Location, typeof(SKBitmap).Assembly.Location])
            .Distinct()
            .Select(static path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "InferenceExamples",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var errors = compilation.GetDiagnostics().Where(static d => d.Severity == DiagnosticSeverity.Error).ToArray();

        Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors.Select(static e => e.ToString())) + Environment.NewLine + source);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DeclCnn.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"DeclCnn.sln not found above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
