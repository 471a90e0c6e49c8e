using System.IO;
using System.Linq;
using System.Xml.Linq;
using DeclCnn.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace DeclCnn.Generators.Tests;

/// <summary>
/// What an IDE shows on hover: the documentation file of a project that uses the generator, as
/// <c>GenerateDocumentationFile</c> writes it. The layer table is in the docs of the class, <c>forward</c>
/// and <c>Summary</c>; a user's own summary stays the only one.
/// </summary>
public class DocumentationFileTests
{
    private const string Layers = """
        [Input(1, 28, 28)]
        [Conv(6, 5, Padding = 2), ReLU, MaxPool(2), Flatten, Dense(10)]
        """;

    [Fact]
    public void Class_forward_and_Summary_docs_show_the_layer_table()
    {
        var members = DocumentationOf($$"""
            using DeclCnn;
            namespace App;

            {{Layers}}
            public partial class Net;
            """);

        foreach (var member in new[] { "T:App.Net", "M:App.Net.forward(TorchSharp.torch.Tensor)", "P:App.Net.Summary" })
        {
            var summary = Assert.Single(members[member].Elements("summary"));
            var items = summary.Element("list")!.Elements("item").Select(static i => (i.Element("term")!.Value, i.Element("description")!.Value)).ToList();
            Assert.Equal(
                new[]
                {
                    ("conv1", "Conv2d: [N, 6, 28, 28], 156 parameters, 117,600 multiply-adds"),
                    ("relu", "ReLU: [N, 6, 28, 28], 0 parameters, 0 multiply-adds"),
                    ("pool", "MaxPool2d: [N, 6, 14, 14], 0 parameters, 0 multiply-adds"),
                    ("flatten", "Flatten: [N, 1176], 0 parameters, 0 multiply-adds"),
                    ("fc", "Linear: [N, 10], 11,770 parameters, 11,760 multiply-adds"),
                },
                items);
            Assert.Equal("table", summary.Element("list")!.Attribute("type")!.Value);
        }

        Assert.StartsWith("Net: [N, 1, 28, 28] -> [N, 10], 11,926 parameters, 129,360 multiply-adds per sample.", members["T:App.Net"].Element("summary")!.Value.Trim(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_users_own_summary_is_kept_once_and_the_table_goes_in_remarks()
    {
        var members = DocumentationOf($$"""
            using DeclCnn;
            namespace App;

            /// <summary>The digit classifier of the tutorial.</summary>
            {{Layers}}
            public partial class Net;
            """);

        var type = members["T:App.Net"];
        Assert.Equal("The digit classifier of the tutorial.", Assert.Single(type.Elements("summary")).Value);
        var remarks = Assert.Single(type.Elements("remarks"));
        Assert.StartsWith("Net: [N, 1, 28, 28] -> [N, 10]", remarks.Value.Trim(), System.StringComparison.Ordinal);
        Assert.Equal(5, remarks.Element("list")!.Elements("item").Count());
    }

    [Fact]
    public void A_blocks_own_summary_is_kept_once()
    {
        var members = DocumentationOf("""
            using DeclCnn;
            namespace App;

            /// <summary>Two convolutions and a residual connection.</summary>
            [Block]
            [Conv(Block.Channels, 3, Padding = 1), ReLU, Conv(Block.Channels, 3, Padding = 1)]
            [Add]
            public partial class Unit;
            """);

        var type = members["T:App.Unit"];
        Assert.Equal("Two convolutions and a residual connection.", Assert.Single(type.Elements("summary")).Value);
        Assert.Equal("Unit: a residual block, y = body(x) + shortcut(x).", Assert.Single(type.Elements("remarks")).Value);
    }

    /// <summary>Runs the generator and compiles with documentation, as a project with <c>GenerateDocumentationFile</c>; returns each member's doc by id.</summary>
    private static System.Collections.Generic.Dictionary<string, XElement> DocumentationOf(string source)
    {
        var options = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        var compilation = GeneratorHarness.CreateCompilation(System.Array.Empty<string>())
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, options, path: "Model.cs"));
        var result = GeneratorHarness.Run(compilation);
        Assert.Empty(result.DeclCnnDiagnostics);

        using var peStream = new MemoryStream();
        using var xmlStream = new MemoryStream();
        var emitted = result.OutputCompilation.Emit(peStream, xmlDocumentationStream: xmlStream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        Assert.DoesNotContain(emitted.Diagnostics, static d => d.Id is "CS1570" or "CS1587");

        xmlStream.Position = 0;
        return XDocument.Load(xmlStream).Descendants("member").ToDictionary(static m => m.Attribute("name")!.Value);
    }
}
