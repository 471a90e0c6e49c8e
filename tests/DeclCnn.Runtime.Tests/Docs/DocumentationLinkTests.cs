using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace DeclCnn.Runtime.Tests.Docs;

/// <summary>
/// Every relative link of the README and the pages under docs/ leads somewhere: the file or folder exists and, for a
/// link into a Markdown page, the page has a heading with that anchor (as GitHub makes anchors from headings); a link
/// named by a diagnostic id (<c>[DCNN0037](...)</c>) goes to that diagnostic's own section.
/// </summary>
public partial class DocumentationLinkTests
{
    [Fact]
    public void Every_relative_link_of_the_docs_reaches_its_file_and_heading()
    {
        var pages = Directory.GetFiles(Path.Combine(DocumentationExamples.Root, "docs"), "*.md")
            .Append(Path.Combine(DocumentationExamples.Root, "README.md"));

        var problems = pages.SelectMany(BrokenLinks).ToList();

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void A_missing_file_or_heading_is_reported_with_its_line()
    {
        string folder = Directory.CreateTempSubdirectory("declcnn-links-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "other.md"), "# The `Other` page\n## Twice\n## Twice\n");
            string page = Path.Combine(folder, "page.md");
            File.WriteAllText(page, string.Join('\n',
                "[fine](other.md#the-other-page) [second](other.md#twice-1) [web](https://example.com/x#y)",
                "[gone](missing.md)",
                "````markdown",
                "```",
                "[in code](missing.md)",
                "```",
                "````",
                "[no heading](other.md#nowhere) [here](#no-such-heading)",
                "[DCNN0002](other.md#twice) [DCNN0003](#dcnn0003)"));

            var problems = BrokenLinks(page).ToList();

            Assert.Equal(
                [
                    $"{page}:2: 'missing.md' does not exist",
                    $"{page}:8: 'other.md#nowhere' has no heading 'nowhere'",
                    $"{page}:8: '#no-such-heading' has no heading 'no-such-heading'",
                    $"{page}:9: 'DCNN0002' links to 'other.md#twice', not to its own section '#dcnn0002'",
                    $"{page}:9: '#dcnn0003' has no heading 'dcnn0003'",
                ],
                problems);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The page's relative links, outside code blocks, whose file or heading is missing, as "path:line: why".</summary>
    private static IEnumerable<string> BrokenLinks(string page)
    {
        string[] lines = File.ReadAllLines(page);
        bool[] inCode = CodeLines(lines);
        for (int i = 0; i < lines.Length; i++)
        {
            if (inCode[i])
            {
                continue;
            }

            foreach (Match link in LinkPattern().Matches(lines[i]))
            {
                string text = link.Groups[1].Value;
                string target = link.Groups[2].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                int hash = target.IndexOf('#', StringComparison.Ordinal);
                if (DiagnosticIdPattern().IsMatch(text) && (hash < 0 || !string.Equals(target[(hash + 1)..], text, StringComparison.OrdinalIgnoreCase)))
                {
                    yield return $"{page}:{i + 1}: '{text}' links to '{target}', not to its own section '#{text.ToLowerInvariant()}'";
                    continue;
                }

                string path = hash < 0 ? target : target[..hash];
                string file = path.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, path));
                if (!File.Exists(file) && !Directory.Exists(file))
                {
                    yield return $"{page}:{i + 1}: '{target}' does not exist";
                }
                else if (hash >= 0 && file.EndsWith(".md", StringComparison.Ordinal) && !Anchors(file).Contains(target[(hash + 1)..]))
                {
                    yield return $"{page}:{i + 1}: '{target}' has no heading '{target[(hash + 1)..]}'";
                }
            }
        }
    }

    /// <summary>
    /// The anchors GitHub gives a page's headings: lower case, punctuation dropped (letters, digits, spaces, '-' and
    /// '_' kept), spaces made hyphens, and "-1", "-2" ... after a repeated one.
    /// </summary>
    private static HashSet<string> Anchors(string page)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        string[] lines = File.ReadAllLines(page);
        bool[] inCode = CodeLines(lines);
        for (int i = 0; i < lines.Length; i++)
        {
            if (inCode[i] || HeadingPattern().Match(lines[i]) is not { Success: true } heading)
            {
                continue;
            }

            var slug = new StringBuilder();
            foreach (char c in heading.Groups[1].Value.Trim().ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_')
                {
                    slug.Append(c);
                }
                else if (c == ' ')
                {
                    slug.Append('-');
                }
            }

            string anchor = slug.ToString();
            int count = seen.GetValueOrDefault(anchor);
            seen[anchor] = count + 1;
            anchors.Add(count == 0 ? anchor : $"{anchor}-{count}");
        }

        return anchors;
    }

    /// <summary>Which lines are fenced code, fences included: a fence of n backticks ends at a line of n or more backticks alone.</summary>
    private static bool[] CodeLines(string[] lines)
    {
        var code = new bool[lines.Length];
        int fence = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            int backticks = line.Length - line.TrimStart('`').Length;
            if (fence == 0 && backticks >= 3)
            {
                fence = backticks;
                code[i] = true;
            }
            else if (fence > 0)
            {
                code[i] = true;
                if (backticks >= fence && backticks == line.Length)
                {
                    fence = 0;
                }
            }
        }

        return code;
    }

    [GeneratedRegex(@"\[([^\]]*)\]\(([^)\s]+)\)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"^#{1,6}\s+(.*)$")]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"^DCNN\d{4}$")]
    private static partial Regex DiagnosticIdPattern();
}
