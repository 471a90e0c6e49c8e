using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace DeclCnn.Generators.Tests.Infrastructure;

/// <summary>
/// Ordinary code that uses each model and block a source declares (create it, <c>using var</c>, <c>forward</c>,
/// <c>call</c>, <c>Summary</c>, <c>PyTorchSource</c>, <c>ExportOnnx</c>, train and eval, and for a network with
/// <c>[Backbone]</c> <c>BackboneLayers</c>, <c>LoadBackbone</c> and <c>FreezeBackbone</c>), compiled with the generated code: for a
/// declaration with errors it must compile too, so that the error list shows only the DCNN errors and not their
/// echo at every use.
/// </summary>
internal static class DeclarationUses
{
    /// <summary>The diagnostics on a class that keep any generated part from extending it: its uses fail with it.</summary>
    private static readonly string[] ClassCannotBeExtended = { "DCNN0001", "DCNN0002", "DCNN0007" };

    /// <summary>
    /// Generates <paramref name="source"/> again, with DeclCnn.Runtime referenced (so models also get <c>ExportOnnx</c>)
    /// where TorchSharp is, adds the uses of every declaration, and requires no error but those the user's source has on its own.
    /// Declarations the generator cannot extend (DCNN0001, DCNN0002, DCNN0007 on the class) must get no generated code.
    /// Returns the names of the declarations whose uses were compiled.
    /// </summary>
    public static IReadOnlyList<string> CompileWithoutCascade(string source, bool referenceTorchSharp = true)
    {
        var input = GeneratorHarness.CreateCompilation(new[] { source }, referenceTorchSharp, referenceRuntime: referenceTorchSharp);
        var result = GeneratorHarness.Run(input);
        var compilation = result.OutputCompilation;
        var userTree = compilation.SyntaxTrees.First();
        var generated = result.GeneratedSources.Select(static s => s.SyntaxTree).ToHashSet();

        var uses = new StringBuilder("using System.Linq;\n\n");
        var used = new List<string>();
        foreach (var (type, isBlock) in Declarations(compilation, userTree))
        {
            var classDiagnostics = result.DeclCnnDiagnostics.Where(d => ClassCannotBeExtended.Contains(d.Id)
                && d.Location.SourceTree == userTree && type.Locations.Any(l => l.SourceSpan == d.Location.SourceSpan)).ToList();
            if (classDiagnostics.Count > 0)
            {
                Assert.DoesNotContain(type.DeclaringSyntaxReferences, r => generated.Contains(r.SyntaxTree));
                continue;
            }

            uses.Append(Uses(type, isBlock, used.Count, referenceRuntime: referenceTorchSharp));
            used.Add(type.ToDisplayString());
        }

        var usesTree = CSharpSyntaxTree.ParseText(uses.ToString(), GeneratorHarness.ParseOptions, path: "Uses.cs");
        // The user's own errors (half-typed code) stay; any other error, wherever the compiler puts it, is one more.
        // One is the compiler's echo of DCNN0034 on 'forward': a class whose own member takes the name cannot
        // implement Module's abstract forward (CS0534 on the class), with or without the stand-in.
        var own = input.GetDiagnostics().Where(static d => d.Severity == DiagnosticSeverity.Error).Select(static d => (d.Id, d.Location.SourceSpan)).ToHashSet();
        var ownForward = result.DeclCnnDiagnostics.Any(static d => d.Id == "DCNN0034" && d.GetMessage(CultureInfo.InvariantCulture).Contains("declares 'forward'", StringComparison.Ordinal));
        var errors = compilation.AddSyntaxTrees(usesTree).GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && !(d.Location.SourceTree == userTree && own.Contains((d.Id, d.Location.SourceSpan))))
            .Where(d => !(ownForward && d.Id == "CS0534" && d.GetMessage(CultureInfo.InvariantCulture).Contains(".forward(", StringComparison.Ordinal)))
            .ToList();
        Assert.True(errors.Count == 0, $"Code using {string.Join(", ", used)} does not compile:\n{string.Join("\n", errors)}\n\nUses:\n{uses}");
        return used;
    }

    /// <summary>Each class of the user's source marked [Input] (a model) or [Block], whose marking attribute itself compiles.</summary>
    private static IEnumerable<(INamedTypeSymbol Type, bool IsBlock)> Declarations(Compilation compilation, SyntaxTree userTree)
    {
        var model = compilation.GetSemanticModel(userTree);
        foreach (var syntax in userTree.GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>())
        {
            if (model.GetDeclaredSymbol(syntax) is not { TypeKind: TypeKind.Class } type || type.DeclaringSyntaxReferences[0].GetSyntax() != syntax)
            {
                continue;
            }

            // A marking attribute that does not compile yet is the compiler's error: the generator waits for it.
            var marks = type.GetAttributes().Where(static a => a.AttributeConstructor is not null
                && a.AttributeClass!.ToDisplayString() is "DeclCnn.InputAttribute" or "DeclCnn.BlockAttribute"
                && a.ApplicationSyntaxReference!.GetSyntax().Parent is { ContainsDiagnostics: false }).ToList();
            if (marks.Any(static a => a.AttributeClass!.Name == "InputAttribute"))
            {
                yield return (type, false);
            }
            else if (marks.Count > 0)
            {
                yield return (type, true);
            }
        }
    }

    private static string Uses(INamedTypeSymbol type, bool isBlock, int index, bool referenceRuntime)
    {
        var name = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var own = type.DeclaringSyntaxReferences.SelectMany(static r => ((TypeDeclarationSyntax)r.GetSyntax()).Members)
            .SelectMany(static m => m switch
            {
                MethodDeclarationSyntax method => new[] { method.Identifier.ValueText },
                PropertyDeclarationSyntax property => new[] { property.Identifier.ValueText },
                BaseFieldDeclarationSyntax field => field.Declaration.Variables.Select(static v => v.Identifier.ValueText).ToArray(),
                _ => Array.Empty<string>(),
            })
            .ToHashSet();
        var code = new StringBuilder();
        code.AppendLine(CultureInfo.InvariantCulture, $"internal static class Uses{index}");
        code.AppendLine("{");
        code.AppendLine("    public static void Run()");
        code.AppendLine("    {");
        code.AppendLine(isBlock
            ? $"        using var module = new {name}(16, 32, 2);\n        using var named = new {name}(16, 32, 1, \"named\");"
            : $"        using var module = new {name}();\n        using var named = new {name}(\"named\");");
        code.AppendLine("        using var input = global::TorchSharp.torch.zeros(1, 16, 8, 8);");
        if (!own.Contains("forward"))
        {
            code.AppendLine("        using var output = module.forward(input);");
        }

        code.AppendLine("        using var called = module.call(input);");
        code.AppendLine("        module.train();");
        code.AppendLine("        module.eval();");
        code.AppendLine("        var parameters = module.parameters().Count();");
        if (!isBlock && !own.Contains("Summary"))
        {
            code.AppendLine(CultureInfo.InvariantCulture, $"        global::DeclCnn.ModelSummary summary = {name}.Summary;");
        }

        if (!isBlock && !own.Contains("PyTorchSource"))
        {
            code.AppendLine(CultureInfo.InvariantCulture, $"        string pyTorch = {name}.PyTorchSource;");
        }

        if (!isBlock && referenceRuntime && !own.Contains("ExportOnnx"))
        {
            code.AppendLine("        module.ExportOnnx(\"model.onnx\");");
            code.AppendLine("        byte[] onnx = module.ToOnnx();");
            code.AppendLine("        global::DeclCnn.Runtime.Interchange.Onnx.IOnnxExportable exportable = module;");
        }

        if (type.GetAttributes().Any(static a => a.AttributeClass?.Name == "BackboneAttribute"))
        {
            if (!own.Contains("BackboneLayers"))
            {
                code.AppendLine(CultureInfo.InvariantCulture, $"        int reused = {name}.BackboneLayers.Count;");
            }

            if (referenceRuntime && !own.Contains("LoadBackbone"))
            {
                code.AppendLine("        global::DeclCnn.Runtime.Inference.ModelFileHeader source = module.LoadBackbone(\"source.safetensors\");");
            }

            if (referenceRuntime && !own.Contains("FreezeBackbone"))
            {
                code.AppendLine("        module.FreezeBackbone();");
            }
        }

        code.AppendLine("    }");
        code.AppendLine("}");
        return code.ToString();
    }
}
