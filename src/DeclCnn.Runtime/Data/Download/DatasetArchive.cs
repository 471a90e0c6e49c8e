using System;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Threading;
using System.Threading.Tasks;

namespace DeclCnn.Runtime.Data.Download;

/// <summary>
/// Puts a dataset that is published as one gzip-compressed tar (the CIFAR archives) into the data root: downloads the
/// archive, then extracts it so that its dataset folder appears complete and checked, or not at all.
/// </summary>
internal static class DatasetArchive
{
    /// <summary>
    /// Returns <c>&lt;root&gt;/&lt;folderName&gt;</c>, first downloading <paramref name="archive"/> into
    /// <paramref name="root"/> and extracting it unless that folder already passes <paramref name="validate"/>.
    /// </summary>
    /// <param name="dataset">The dataset's name, for messages (e.g. "CIFAR-10").</param>
    /// <param name="downloader">Fetches and checks the archive (a verified copy already in the root is used as it is).</param>
    /// <param name="archive">The archive and its checksum.</param>
    /// <param name="root">The data root.</param>
    /// <param name="folderName">The folder the archive holds and extracts to, e.g. <c>cifar-10-batches-bin</c>.</param>
    /// <param name="validate">The dataset reader's checks of a folder; throws <see cref="FileNotFoundException"/> or <see cref="InvalidDataException"/>.</param>
    /// <param name="progress">Receives the download's progress.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <exception cref="DatasetDownloadException">No mirror delivered the archive with the right checksum.</exception>
    /// <exception cref="InvalidDataException">The archive is corrupt, has an unsafe entry or does not hold a valid folder.</exception>
    public static async Task<string> InstallAsync(
        string dataset,
        DatasetDownloader downloader,
        RemoteFile archive,
        string root,
        string folderName,
        Action<string> validate,
        IProgress<DownloadProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(downloader);
        ArgumentNullException.ThrowIfNull(archive);
        string target = Path.Combine(root, folderName);
        if (IsValid(target, validate))
        {
            return target;
        }

        string archivePath = await downloader.FetchAsync(archive, root, progress, cancellationToken).ConfigureAwait(false);
        Extract(dataset, archivePath, root, folderName, validate);
        return target;
    }

    /// <summary>Whether <paramref name="folder"/> exists and passes the reader's checks.</summary>
    private static bool IsValid(string folder, Action<string> validate)
    {
        if (!Directory.Exists(folder))
        {
            return false;
        }

        try
        {
            validate(folder);
            return true;
        }
        catch (Exception error) when (error is FileNotFoundException or InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>
    /// Extracts <paramref name="archive"/> into a staging folder beside the target, checks the dataset folder it holds,
    /// and only then renames that folder into place (replacing a folder that failed the checks). Whatever happens, the
    /// staging folder is deleted: a failure leaves the target as it was, never a partial folder.
    /// </summary>
    private static void Extract(string dataset, string archive, string root, string folderName, Action<string> validate)
    {
        string staging = Path.Combine(root, $".{folderName}.{Guid.NewGuid():N}.extracting");
        Directory.CreateDirectory(staging);
        try
        {
            ExtractEntries(dataset, archive, staging);
            string extracted = Path.Combine(staging, folderName);
            if (!Directory.Exists(extracted))
            {
                throw new InvalidDataException($"{dataset} archive '{archive}' has no folder '{folderName}'; it is not the {dataset} binary archive.");
            }

            try
            {
                validate(extracted);
            }
            catch (Exception error) when (error is FileNotFoundException or InvalidDataException)
            {
                throw new InvalidDataException($"{dataset} archive '{archive}' does not hold a valid '{folderName}' folder: {error.Message}", error);
            }

            string target = Path.Combine(root, folderName);
            if (Directory.Exists(target))
            {
                // It failed the checks (incomplete or damaged): set aside, to be deleted with the staging folder.
                Directory.Move(target, Path.Combine(staging, "replaced"));
            }

            Directory.Move(extracted, target);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// Writes the files and folders of the archive below <paramref name="destination"/>. Entries that would land outside it
    /// (absolute paths, <c>..</c>) and links (which could point outside it), devices and the like are refused.
    /// </summary>
    private static void ExtractEntries(string dataset, string archive, string destination)
    {
        using FileStream file = File.OpenRead(archive);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (Reading(dataset, archive, () => reader.GetNextEntry()) is TarEntry entry)
        {
            if (entry.EntryType == TarEntryType.GlobalExtendedAttributes)
            {
                // Metadata for the entries that follow, not a file.
                continue;
            }

            string path = Path.GetFullPath(Path.Combine(destination, entry.Name));
            string relative = Path.GetRelativePath(destination, path);
            if (Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new InvalidDataException(
                    $"{dataset} archive '{archive}' has entry '{entry.Name}', which would be written outside the folder it is extracted to; the archive was not extracted.");
            }

            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(path);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    using (var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None))
                    {
                        if (entry.DataStream is Stream data)
                        {
                            Reading(dataset, archive, () => data.CopyTo(output));
                        }

                        output.Flush(flushToDisk: true);
                    }

                    break;
                default:
                    throw new InvalidDataException(
                        $"{dataset} archive '{archive}' has entry '{entry.Name}' of type {entry.EntryType}; only files and folders are extracted, and the archive was not.");
            }
        }
    }

    /// <summary>Runs a read of the archive, turning the decoders' errors into one that names the archive.</summary>
    private static void Reading(string dataset, string archive, Action read) => Reading(dataset, archive, () =>
    {
        read();
        return true;
    });

    /// <summary>Runs a read of the archive, turning the decoders' errors into one that names the archive.</summary>
    private static T Reading<T>(string dataset, string archive, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception error) when (error is InvalidDataException or EndOfStreamException)
        {
            throw new InvalidDataException($"{dataset} archive '{archive}' is corrupt or truncated: {error.Message}", error);
        }
    }
}
