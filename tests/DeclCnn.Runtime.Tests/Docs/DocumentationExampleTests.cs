using System;
using System.IO;
using System.Linq;
using Xunit;

namespace DeclCnn.Runtime.Tests.Docs;

/// <summary>
/// The C# examples of the pages listed here are copies of regions of compiled files (see
/// <see cref="DocumentationExamples"/>): a page whose example no longer compiles, or differs from its source, fails.
/// To add a page, add its path here and a marker before each of its C# blocks; after editing an example's source,
/// rerun with DECLCNN_ACCEPT_DOCS=1 to copy it into the page.
/// </summary>
public class DocumentationExampleTests
{
    [Theory]
    [InlineData("docs/inference.md")]
    [InlineData("docs/transfer-learning.md")]
    public void Every_csharp_example_of_the_page_is_its_compiled_source(string page)
    {
        var problems = DocumentationExamples.Check(page, DocumentationExamples.AcceptRequested);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void A_block_without_a_marker_or_unlike_its_source_is_reported()
    {
        const string Source = "tests/DeclCnn.Runtime.Tests/Docs/Examples/InferenceExamples.cs";
        string region = DocumentationExamples.Extract(Source, "classify");
        string page = Path.Combine(Path.GetTempPath(), $"declcnn-docs-{Guid.NewGuid():N}.md");
        File.WriteAllText(page,
            $"text\n```csharp\nvar x = 1;\n```\n<!-- example: {Source}#classify -->\n```csharp\n{region}```\n"
            + $"<!-- example: {Source}#classify -->\n```csharp\n{region.Replace("Top = 3", "Top = 2", StringComparison.Ordinal)}```\n");
        try
        {
            var problems = DocumentationExamples.Check(page);

            Assert.Equal(2, problems.Count);
            Assert.Contains("the block differs from", problems[0], StringComparison.Ordinal);
            Assert.Contains("Top = 2", problems[0], StringComparison.Ordinal);
            Assert.Contains(":2: the C# block has no", problems[1], StringComparison.Ordinal);
            Assert.Contains("Classifier.Load", region, StringComparison.Ordinal);
            Assert.DoesNotContain("#region", region, StringComparison.Ordinal);
            Assert.False(region.Split('\n').Where(static l => l.Length > 0).All(static l => l.StartsWith(' ')), "The common indentation is removed.");
        }
        finally
        {
            File.Delete(page);
        }
    }
}
