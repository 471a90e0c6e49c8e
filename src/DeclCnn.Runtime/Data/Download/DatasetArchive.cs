using System;
using System.IO;
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
    /// <exception cref="InvalidDataException">The archive is corrupt, has an unsafe entry, exceeds <see cref="ArchiveLimits.Default"/> or does not hold a valid folder (see <see cref="TarGzArchive"/>).</exception>
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
        TarGzArchive.Extract(archivePath, $"{dataset} archive", folderName, target, validate);
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
}
