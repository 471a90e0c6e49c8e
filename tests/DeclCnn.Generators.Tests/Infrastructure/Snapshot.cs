using System;
using System.IO;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Xunit.Sdk;

namespace DeclCnn.Generators.Tests.Infrastructure;

/// <summary>
/// Compares generated code with a <c>*.verified.cs</c> file beside the tests. A mismatch writes
/// <c>*.received.cs</c> and fails with a line diff; setting DECLCNN_ACCEPT_SNAPSHOTS=1 accepts
/// the received text instead. (The Verify packages cannot be restored here; this is the small
/// part of them the tests need.)
/// </summary>
internal static class Snapshot
{
    public static void Match(string name, string actual)
    {
        var verified = Path.Combine(RepositoryPaths.Snapshots, name + ".verified.cs");
        var received = Path.Combine(RepositoryPaths.Snapshots, name + ".received.cs");
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        var expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }

        if (Environment.GetEnvironmentVariable("DECLCNN_ACCEPT_SNAPSHOTS") == "1")
        {
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, actual);
        throw new XunitException(expected is null
            ? $"No snapshot {verified} yet; review {received} and rename it, or run with DECLCNN_ACCEPT_SNAPSHOTS=1."
            : $"Generated code differs from {verified} (received: {received}):\n{Diff(expected, actual)}");
    }

    private static string Diff(string expected, string actual)
    {
        var text = new StringBuilder();
        foreach (var line in InlineDiffBuilder.Diff(expected, actual).Lines)
        {
            var marker = line.Type switch
            {
                ChangeType.Inserted => "+ ",
                ChangeType.Deleted => "- ",
                _ => null,
            };
            if (marker is not null)
            {
                text.Append(line.Position is { } position ? $"{position,5} " : "      ").Append(marker).Append(line.Text).Append('\n');
            }
        }

        return text.ToString();
    }
}
