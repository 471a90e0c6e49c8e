using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.Text;

namespace DeclCnn.Generators.Tests.Infrastructure;

/// <summary>
/// Test sources mark where a diagnostic is expected as <c>{|DCNN0013:MaxPool(2)|}</c>; this strips
/// the marks and returns each expected id with its exact span.
/// </summary>
internal static partial class Markup
{
    public static (string Source, List<(string Id, TextSpan Span)> Expected) Parse(string markup)
    {
        var source = new StringBuilder();
        var expected = new List<(string, TextSpan)>();
        var last = 0;
        foreach (Match match in MarkPattern().Matches(markup))
        {
            source.Append(markup, last, match.Index - last);
            var start = source.Length;
            source.Append(match.Groups["text"].Value);
            expected.Add((match.Groups["id"].Value, TextSpan.FromBounds(start, source.Length)));
            last = match.Index + match.Length;
        }

        source.Append(markup, last, markup.Length - last);
        return (source.ToString(), expected);
    }

    [GeneratedRegex(@"\{\|(?<id>DCNN\d{4}):(?<text>.*?)\|\}", RegexOptions.Singleline)]
    private static partial Regex MarkPattern();
}
