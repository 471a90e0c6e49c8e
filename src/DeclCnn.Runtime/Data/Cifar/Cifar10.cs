using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeclCnn.Runtime.Data.Download;

namespace DeclCnn.Runtime.Data.Cifar;

/// <summary>
/// CIFAR-10 (Krizhevsky, 2009): 32x32 colour images in 10 classes, 50,000 for training and 10,000 for test, in
/// the official binary layout of <c>cifar-10-binary.tar.gz</c>, extracted to <c>&lt;data root&gt;/cifar-10-batches-bin/</c>:
/// <c>data_batch_1.bin</c> .. <c>data_batch_5.bin</c>, <c>test_batch.bin</c> and <c>batches.meta.txt</c>.
/// Each record is 1 label byte and 3072 pixel bytes (red, green, blue planes of 32x32, row-major).
/// </summary>
public static class Cifar10
{
    private static readonly CifarLabelField[] Fields = [new("label", 10)];

    /// <summary>The folder name under the data root (the folder the official archive extracts to).</summary>
    public const string FolderName = "cifar-10-batches-bin";

    /// <summary>The class-name file: one name per line.</summary>
    public const string MetaFile = "batches.meta.txt";

    /// <summary>The test file.</summary>
    public const string TestFile = "test_batch.bin";

    /// <summary>Bytes per record: 1 label byte and 3072 pixel bytes.</summary>
    public const int RecordLength = 1 + CifarBinary.ImageBytes;

    /// <summary>The five training files, in the order their images are concatenated.</summary>
    public static IReadOnlyList<string> TrainFiles { get; } = Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray();

    /// <summary>
    /// Shape, class names and the usual statistics of the 50,000 training images (per channel: mean 0.4914, 0.4822,
    /// 0.4465; std 0.2470, 0.2435, 0.2616). <see cref="Load"/> replaces the statistics with those computed from the
    /// files it reads (cached in <c>statistics.json</c>), and the names with those of <c>batches.meta.txt</c>.
    /// </summary>
    public static DatasetInfo Info { get; } = new DatasetInfo(
        "CIFAR-10",
        CifarBinary.Channels,
        CifarBinary.Side,
        CifarBinary.Side,
        new[] { "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck" },
        new Normalization(0.4734f, 0.2516f))
    {
        ChannelStatistics = new ChannelStatistics([0.4914f, 0.4822f, 0.4465f], [0.2470f, 0.2435f, 0.2616f]),
    };

    /// <summary>The dataset folder for <paramref name="dataRoot"/> (see <see cref="DataRoot.Resolve"/>).</summary>
    public static string GetDirectory(string? dataRoot = null) => Path.Combine(DataRoot.Resolve(dataRoot), FolderName);

    /// <summary>
    /// Makes sure CIFAR-10 is under <paramref name="dataRoot"/>: unless <c>cifar-10-batches-bin/</c> is there and passes the
    /// checks of <see cref="LoadFrom"/> (then nothing is downloaded), downloads <c>cifar-10-binary.tar.gz</c> into the data
    /// root (MD5-checked; a verified copy already there is reused) and extracts it. The folder appears only complete
    /// and checked; a folder that fails the checks is replaced.
    /// </summary>
    /// <param name="downloader">Downloads the archive (with the caller's <see cref="System.Net.Http.HttpClient"/>).</param>
    /// <param name="dataRoot">The data root (see <see cref="DataRoot.Resolve"/>).</param>
    /// <param name="progress">Receives the download's progress, e.g. a <see cref="DownloadProgressBar"/>.</param>
    /// <param name="archive">Where to download the archive from; null means <see cref="OfficialFiles.Cifar10Archive"/>.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The dataset folder, ready for <see cref="LoadFrom"/>.</returns>
    /// <exception cref="DatasetDownloadException">No mirror delivered the archive with the right checksum.</exception>
    /// <exception cref="InvalidDataException">The archive is corrupt or truncated, has an entry that would land outside its folder or a link, or does not hold a valid dataset folder.</exception>
    public static Task<string> DownloadAsync(
        DatasetDownloader downloader,
        string? dataRoot = null,
        IProgress<DownloadProgress>? progress = null,
        RemoteFile? archive = null,
        CancellationToken cancellationToken = default) =>
        DatasetArchive.InstallAsync(
            Info.Name, downloader, archive ?? OfficialFiles.Cifar10Archive, DataRoot.Resolve(dataRoot), FolderName, Validate, progress, cancellationToken);

    /// <summary>Loads the training and test sets from <see cref="GetDirectory"/>; see <see cref="LoadFrom"/>.</summary>
    /// <exception cref="FileNotFoundException">A data file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed.</exception>
    public static TrainTestSplit Load(string? dataRoot = null) => LoadFrom(GetDirectory(dataRoot));

    /// <summary>
    /// Reads and checks all six data files (and <c>batches.meta.txt</c> when present) before creating any tensor,
    /// then returns the training set (the five training files in order) and the test set as uint8 (N, 3, 32, 32)
    /// tensors with int64 labels. The datasets' statistics are the training set's, computed on first use and
    /// cached in <c>statistics.json</c> in <paramref name="directory"/>; files with fewer than
    /// <see cref="DatasetStatistics.MinimumImages"/> training images keep those of <see cref="Info"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">A data file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed.</exception>
    public static TrainTestSplit LoadFrom(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string[] trainPaths = TrainFiles.Select(name => Path.Combine(directory, name)).ToArray();
        (byte[] trainPixels, byte[] trainLabels) = CifarBinary.Read(Info.Name, trainPaths, Fields, 0);
        (byte[] testPixels, byte[] testLabels) = CifarBinary.Read(Info.Name, [Path.Combine(directory, TestFile)], Fields, 0);
        IReadOnlyList<string> names = CifarBinary.ReadClassNames(Info.Name, Path.Combine(directory, MetaFile), 10) ?? Info.ClassNames;
        return CifarDatasets.Create(Info with { ClassNames = names }, directory, trainPaths, trainPixels, trainLabels, testPixels, testLabels);
    }

    /// <summary>Runs the checks of <see cref="LoadFrom"/> on <paramref name="directory"/> without creating anything.</summary>
    private static void Validate(string directory)
    {
        CifarBinary.Validate(Info.Name, TrainFiles.Append(TestFile).Select(name => Path.Combine(directory, name)).ToArray(), Fields);
        CifarBinary.ReadClassNames(Info.Name, Path.Combine(directory, MetaFile), 10);
    }
}
