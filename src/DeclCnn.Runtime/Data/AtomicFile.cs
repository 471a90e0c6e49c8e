using System;
using System.IO;
using System.Text.RegularExpressions;

namespace DeclCnn.Runtime.Data;

/// <summary>Writes a file so that readers see either the old content or the complete new one.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes through <paramref name="write"/> into a temporary file beside <paramref name="path"/>, flushes it
    /// to disk and renames it over <paramref name="path"/>. A crash leaves at most a stray <c>*.tmp</c> file,
    /// which no reader looks for, never a truncated file under the final name.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        string temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Deletes the temporary files a killed <see cref="Write"/> to <paramref name="path"/> left behind: exactly the names
    /// <c>&lt;file&gt;.&lt;32 hex digits&gt;.tmp</c> beside it, nothing else.
    /// </summary>
    public static void DeleteStale(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is null || !Directory.Exists(directory))
        {
            return;
        }

        string name = Path.GetFileName(path);
        var owned = new Regex($"^{Regex.Escape(name)}\\.[0-9a-f]{{32}}\\.tmp$", RegexOptions.CultureInvariant);
        foreach (string file in Directory.EnumerateFiles(directory, name + ".*.tmp"))
        {
            if (owned.IsMatch(Path.GetFileName(file)))
            {
                File.Delete(file);
            }
        }
    }
}
