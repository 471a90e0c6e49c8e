using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace DeclCnn.Runtime.Tests.Docs;

/// <summary>
/// The C# examples of a docs page, each tied to the compiled source it is copied from. In the page, every
/// <c>```csharp</c> block is preceded by a marker line naming a source file under the repository root and a region in it:
/// <code>
/// &lt;!-- example: tests/DeclCnn.Runtime.Tests/Docs/Examples/InferenceExamples.cs#classify --&gt;
/// </code>
/// The block must equal the text between <c>#region classify</c> and its <c>#endregion</c> (every region of that name
/// in the file, in order, joined by a blank line), with the common indentation removed. The sources are ordinary
/// files of a test project, so the build compiles every example with the generator running, and tests can run them.
/// </summary>
internal static partial class DocumentationExamples
{
    /// <summary>Set to 1 to rewrite each page's blocks from their sources instead of comparing them.</summary>
    public const string AcceptVariable = "DECLCNN_ACCEPT_DOCS";

    /// <summary>One fenced C# block of a page.</summary>
    /// <param name="Line">The block's first line (the fence), 1-based.</param>
    /// <param name="Source">The marker's file, repository-relative; null when the block has no marker.</param>
    /// <param name="Region">The marker's region name.</param>
    /// <param name="Text">The block's text as the page has it.</param>
    /// <param name="Start">Where the text starts in the page.</param>
    public sealed record Example(int Line, string? Source, string? Region, string Text, int Start);

    /// <summary>The repository root: the folder above the test binaries that holds DeclCnn.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Every <c>```csharp</c> block of <paramref name="page"/> (text with \n line ends), with its marker.</summary>
    public static IReadOnlyList<Example> Read(string page)
    {
        var examples = new List<Example>();
        foreach (Match block in CodeBlock().Matches(page))
        {
            Match marker = Marker().Match(block.Groups["marker"].Value);
            int line = page.AsSpan(0, block.Groups["fence"].Index).Count('\n') + 1;
            examples.Add(new Example(
                line,
                marker.Success ? marker.Groups["path"].Value : null,
                marker.Success ? marker.Groups["region"].Value : null,
                block.Groups["text"].Value,
                block.Groups["text"].Index));
        }

        return examples;
    }

    /// <summary>
    /// The text of every region named <paramref name="region"/> in the file <paramref name="source"/> (repository-relative),
    /// joined by a blank line, with the indentation common to its lines removed and a final line end.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file has no such region, or a region is not closed.</exception>
    public static string Extract(string source, string region)
    {
        string[] lines = File.ReadAllText(Path.Combine(Root, source)).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var parts = new List<List<string>>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != $"#region {region}")
            {
                continue;
            }

            var part = new List<string>();
            for (i++; i < lines.Length && lines[i].Trim() != "#endregion"; i++)
            {
                part.Add(lines[i]);
            }

            if (i == lines.Length)
            {
                throw new InvalidOperationException($"{source}: #region {region} is not closed.");
            }

            parts.Add(part);
        }

        if (parts.Count == 0)
        {
            throw new InvalidOperationException($"{source} has no #region {region}.");
        }

        var text = new StringBuilder();
        foreach (List<string> part in parts)
        {
            int indent = part.Where(static l => l.Trim().Length > 0).Select(static l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            foreach (string line in part)
            {
                text.Append(line.Length >= indent ? line[indent..] : line.TrimStart()).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Whether <see cref="AcceptVariable"/> is set to 1.</summary>
    public static bool AcceptRequested => Environment.GetEnvironmentVariable(AcceptVariable) == "1";

    /// <summary>
    /// Checks the page <paramref name="relativePath"/>: every C# block has a marker and equals its region. With
    /// <paramref name="accept"/>, rewrites the blocks from their regions instead.
    /// </summary>
    /// <returns>The problems, one line each; empty when the page is right.</returns>
    public static IReadOnlyList<string> Check(string relativePath, bool accept = false)
    {
        string path = Path.Combine(Root, relativePath);
        string page = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        IReadOnlyList<Example> examples = Read(page);
        var problems = new List<string>();
        if (examples.Count == 0)
        {
            problems.Add($"{relativePath} has no C# example.");
        }

        var accepted = new StringBuilder(page);
        foreach (Example example in examples.Reverse())
        {
            if (example.Source is null)
            {
                problems.Add($"{relativePath}:{example.Line}: the C# block has no '<!-- example: FILE#REGION -->' line before it, so nothing compiles it.");
                continue;
            }

            string expected;
            try
            {
                expected = Extract(example.Source, example.Region!);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException)
            {
                problems.Add($"{relativePath}:{example.Line}: {e.Message}");
                continue;
            }

            if (expected != example.Text)
            {
                accepted.Remove(example.Start, example.Text.Length).Insert(example.Start, expected);
                problems.Add($"{relativePath}:{example.Line}: the block differs from {example.Source}#{example.Region}:\n{FirstDifference(example.Text, expected)}");
            }
        }

        if (accept && problems.Count > 0)
        {
            File.WriteAllText(path, accepted.ToString());
            return problems.Where(static p => !p.Contains("the block differs", StringComparison.Ordinal)).ToList();
        }

        return problems;
    }

    private static string FirstDifference(string actual, string expected)
    {
        string[] a = actual.Split('\n'), e = expected.Split('\n');
        for (int i = 0; i < Math.Max(a.Length, e.Length); i++)
        {
            string left = i < a.Length ? a[i] : "(end)", right = i < e.Length ? e[i] : "(end)";
            if (left != right)
            {
                return $"  line {i + 1} of the block: page   '{left}'\n  line {i + 1} of the block: source '{right}'";
            }
        }

        return "  (line ends differ)";
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

    /// <summary>A fenced C# block and the line before it.</summary>
    [GeneratedRegex(@"(?<marker>[^\n]*)\n(?<fence>```csharp)\n(?<text>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"^<!--\s*example:\s*(?<path>[^#\s]+)#(?<region>[\w-]+)\s*-->$")]
    private static partial Regex Marker();
}
