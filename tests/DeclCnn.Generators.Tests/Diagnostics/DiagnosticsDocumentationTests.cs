using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using DeclCnn.Generators.Diagnostics;
using DeclCnn.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DeclCnn.Generators.Tests.Diagnostics;

/// <summary>
/// docs/diagnostics.md has a section per diagnostic, which each descriptor's description names. Its title and
/// message format are the descriptor's, its wrong example reports the diagnostic with the message
/// quoted, and its fixed example is clean.
/// </summary>
public partial class DiagnosticsDocumentationTests
{
    private static readonly string Document = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "diagnostics.md"))
        .Replace("\r\n", "\n", StringComparison.Ordinal);

    public static TheoryData<string> Ids => new(Descriptors().Select(static d => d.Id));

    /// <summary>The ids with examples: all but DCNN0035, a generator bug, which no declaration should cause (GeneratorGuardTests reports it).</summary>
    public static TheoryData<string> IdsWithExamples => new(Descriptors().Select(static d => d.Id).Where(static id => id != "DCNN0035"));

    [Fact]
    public void Every_id_from_DCNN0001_to_DCNN0041_has_a_descriptor()
    {
        var expected = Enumerable.Range(1, 41).Select(static i => $"DCNN{i:D4}");

        Assert.Equal(expected, Descriptors().Select(static d => d.Id).Order());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Help_names_the_section_of_the_id_and_no_link_that_does_not_resolve(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);

        Assert.Contains("docs/diagnostics.md#" + id.ToLowerInvariant(), descriptor.Description.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(descriptor.HelpLinkUri);
        Assert.Single(Regex.Matches(Document, $"^## {id}$", RegexOptions.Multiline));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Section_shows_the_title_and_message_format(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        var section = Section(id);

        Assert.Contains($"**{descriptor.Title}**", section, StringComparison.Ordinal);
        var format = descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture).Replace("{{", "{", StringComparison.Ordinal).Replace("}}", "}", StringComparison.Ordinal);
        Assert.Contains($"Message: `{format}`", section, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(IdsWithExamples))]
    public void Wrong_example_reports_the_quoted_message(string id)
    {
        var section = Section(id);
        var wrong = CSharpBlocks(section).First();
        var quoted = QuotedError().Matches(section).Select(static m => (Id: m.Groups["id"].Value, Message: m.Groups["message"].Value)).ToList();
        Assert.True(quoted.Count > 0, $"{id}: no quoted '> error {id}: ...' line.");
        Assert.Equal(id, quoted[0].Id);

        var compilation = GeneratorHarness.CreateCompilation(new[] { "using DeclCnn;\n" + wrong }, referenceTorchSharp: id != "DCNN0007");
        var result = GeneratorHarness.Run(compilation);

        // Exactly the quoted diagnostics, the section's own first: one for most ids. Where one
        // mistake is reported twice (a block that does not fit, DCNN0029, at the stage and again at
        // the block's layer; a forgotten [Block], DCNN0026 and DCNN0003), the section quotes both.
        var reported = result.DeclCnnDiagnostics.Select(static d => (Id: d.Id, Message: d.GetMessage(CultureInfo.InvariantCulture)));
        Assert.Equal(quoted.Order(), reported.Order());
        Assert.Single(reported, d => d.Id == id);
        DeclarationUses.CompileWithoutCascade("using DeclCnn;\n" + wrong, referenceTorchSharp: id != "DCNN0007");
    }

    [Theory]
    [MemberData(nameof(IdsWithExamples))]
    public void Fixed_example_is_clean(string id)
    {
        var blocks = CSharpBlocks(Section(id)).ToList();
        if (id == "DCNN0007")
        {
            // The fix is a package reference, not code.
            Assert.Single(blocks);
            return;
        }

        Assert.Equal(2, blocks.Count);
        DiagnosticAssert.IsClean("using DeclCnn;\n" + blocks[1]);
    }

    private static IEnumerable<DiagnosticDescriptor> Descriptors() =>
        typeof(DiagnosticDescriptors)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(static f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(static f => (DiagnosticDescriptor)f.GetValue(null)!);

    private static string Section(string id)
    {
        var start = Document.IndexOf($"\n## {id}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/diagnostics.md has no section '## {id}'.");
        var end = Document.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? Document[start..] : Document[start..end];
    }

    private static IEnumerable<string> CSharpBlocks(string section) =>
        CSharpBlock().Matches(section).Select(static m => m.Groups["code"].Value);

    [GeneratedRegex(@"^```csharp\n(?<code>.*?)^```$", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"^> error (?<id>DCNN\d{4}): (?<message>.*)$", RegexOptions.Multiline)]
    private static partial Regex QuotedError();
}
