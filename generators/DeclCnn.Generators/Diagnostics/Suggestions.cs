using System;
using System.Collections.Generic;

namespace DeclCnn.Generators.Diagnostics;

/// <summary>
/// "Did you mean": the valid word closest to a mistyped one. Shared by the messages and the code
/// fixes, so that what the message suggests is what the fix writes; the valid words are those the
/// layers accept (<see cref="Model.PaddingSpec.Modes"/>, <see cref="Kinds.UpsampleKind.Modes"/>).
/// </summary>
internal static class Suggestions
{
    /// <summary>
    /// The word of <paramref name="valid"/> nearest to <paramref name="written"/> (edit distance, ignoring
    /// case), or null when none is close: at most a third of the longer word may differ, and at least one edit.
    /// </summary>
    public static string? Nearest(string written, IReadOnlyList<string> valid)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in valid)
        {
            var distance = Distance(written.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        var allowed = Math.Max(1, Math.Max(written.Length, best?.Length ?? 0) / 3);
        return best is not null && bestDistance <= allowed && written != best ? best : null;
    }

    /// <summary>The message's hint: <c> (did you mean "same"?)</c>, or nothing when no valid word is close.</summary>
    public static string DidYouMean(string written, IReadOnlyList<string> valid) =>
        Nearest(written, valid) is { } nearest ? $" (did you mean \"{nearest}\"?)" : string.Empty;

    /// <summary>Levenshtein distance, with a transposition of neighbours counted as one edit ("smae").</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
