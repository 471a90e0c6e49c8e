using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using DeclCnn.Runtime.Data.Download;

namespace DeclCnn.Runtime.Data.Cifar;

/// <summary>Which of the two labels of a CIFAR-100 image a dataset uses.</summary>
public enum Cifar100Labels
{
    /// <summary>The 100 fine classes (apple, aquarium_fish, ...).</summary>
    Fine,

    /// <summary>The 20 superclasses (aquatic_mammals, fish, ...).</summary>
    Coarse,
}

/// <summary>
/// CIFAR-100 (Krizhevsky, 2009): 32x32 colour images in 100 classes grouped into 20 superclasses, 50,000 for
/// training and 10,000 for test, in the official binary layout of <c>cifar-100-binary.tar.gz</c>, extracted to
/// <c>&lt;data root&gt;/cifar-100-binary/</c>: <c>train.bin</c>, <c>test.bin</c>, <c>fine_label_names.txt</c> and
/// <c>coarse_label_names.txt</c>. Each record is 1 coarse label byte, 1 fine label byte and 3072 pixel bytes.
/// </summary>
public static class Cifar100
{
    private static readonly CifarLabelField[] Fields = [new("coarse label", 20), new("fine label", 100)];

    /// <summary>The folder name under the data root (the folder the official archive extracts to).</summary>
    public const string FolderName = "cifar-100-binary";

    /// <summary>The training file.</summary>
    public const string TrainFile = "train.bin";

    /// <summary>The test file.</summary>
    public const string TestFile = "test.bin";

    /// <summary>The fine class-name file: one name per line.</summary>
    public const string FineNamesFile = "fine_label_names.txt";

    /// <summary>The coarse class-name file: one name per line.</summary>
    public const string CoarseNamesFile = "coarse_label_names.txt";

    /// <summary>Bytes per record: coarse label, fine label, 3072 pixel bytes.</summary>
    public const int RecordLength = 2 + CifarBinary.ImageBytes;

    /// <summary>The 100 fine class names, in label order.</summary>
    public static IReadOnlyList<string> FineClassNames { get; } =
    [
        "apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle", "bicycle", "bottle",
        "bowl", "boy", "bridge", "bus", "butterfly", "camel", "can", "castle", "caterpillar", "cattle",
        "chair", "chimpanzee", "clock", "cloud", "cockroach", "couch", "crab", "crocodile", "cup", "dinosaur",
        "dolphin", "elephant", "flatfish", "forest", "fox", "girl", "hamster", "house", "kangaroo", "keyboard",
        "lamp", "lawn_mower", "leopard", "lion", "lizard", "lobster", "man", "maple_tree", "motorcycle", "mountain",
        "mouse", "mushroom", "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear", "pickup_truck", "pine_tree",
        "plain", "plate", "poppy", "porcupine", "possum", "rabbit", "raccoon", "ray", "road", "rocket",
        "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake", "spider",
        "squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank", "telephone", "television", "tiger", "tractor",
        "train", "trout", "tulip", "turtle", "wardrobe", "whale", "willow_tree", "wolf", "woman", "worm",
    ];

    /// <summary>The 20 coarse class (superclass) names, in label order.</summary>
    public static IReadOnlyList<string> CoarseClassNames { get; } =
    [
        "aquatic_mammals", "fish", "flowers", "food_containers", "fruit_and_vegetables",
        "household_electrical_devices", "household_furniture", "insects", "large_carnivores", "large_man-made_outdoor_things",
        "large_natural_outdoor_scenes", "large_omnivores_and_herbivores", "medium_mammals", "non-insect_invertebrates", "people",
        "reptiles", "small_mammals", "trees", "vehicles_1", "vehicles_2",
    ];

    /// <summary>
    /// Shape, fine class names and the usual statistics of the 50,000 training images (per channel: mean 0.5071,
    /// 0.4865, 0.4409; std 0.2673, 0.2564, 0.2762). <see cref="Load"/> replaces them with what it reads and computes.
    /// </summary>
    public static DatasetInfo Info { get; } = new DatasetInfo(
        "CIFAR-100", CifarBinary.Channels, CifarBinary.Side, CifarBinary.Side, FineClassNames, new Normalization(0.4782f, 0.2682f))
    {
        ChannelStatistics = new ChannelStatistics([0.5071f, 0.4865f, 0.4409f], [0.2673f, 0.2564f, 0.2762f]),
    };

    /// <summary>The dataset folder for <paramref name="dataRoot"/> (see <see cref="DataRoot.Resolve"/>).</summary>
    public static string GetDirectory(string? dataRoot = null) => Path.Combine(DataRoot.Resolve(dataRoot), FolderName);

    /// <summary>
    /// Makes sure CIFAR-100 is under <paramref name="dataRoot"/>, as <see cref="Cifar10.DownloadAsync"/> does for CIFAR-10:
    /// unless <c>cifar-100-binary/</c> is there and passes the checks of <see cref="LoadFrom"/> (for both label kinds),
    /// downloads <c>cifar-100-binary.tar.gz</c> into the data root and extracts it.
    /// </summary>
    /// <param name="downloader">Downloads the archive (with the caller's <see cref="System.Net.Http.HttpClient"/>).</param>
    /// <param name="dataRoot">The data root (see <see cref="DataRoot.Resolve"/>).</param>
    /// <param name="progress">Receives the download's progress, e.g. a <see cref="DownloadProgressBar"/>.</param>
    /// <param name="archive">Where to download the archive from; null means <see cref="OfficialFiles.Cifar100Archive"/>.</param>
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
            Info.Name, downloader, archive ?? OfficialFiles.Cifar100Archive, DataRoot.Resolve(dataRoot), FolderName, Validate, progress, cancellationToken);

    /// <summary>Loads the training and test sets from <see cref="GetDirectory"/>; see <see cref="LoadFrom"/>.</summary>
    /// <exception cref="FileNotFoundException">A data file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed.</exception>
    public static TrainTestSplit Load(string? dataRoot = null, Cifar100Labels labels = Cifar100Labels.Fine) => LoadFrom(GetDirectory(dataRoot), labels);

    /// <summary>
    /// Reads and checks both data files (and the class-name file of the chosen labels, when present) before creating
    /// any tensor. Both label bytes of every record are checked (coarse below 20, fine below 100) whichever is used;
    /// <paramref name="labels"/> picks the one the datasets carry. Statistics as for <see cref="Cifar10.LoadFrom"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">A data file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed.</exception>
    public static TrainTestSplit LoadFrom(string directory, Cifar100Labels labels = Cifar100Labels.Fine)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Enum.IsDefined(labels))
        {
            throw new ArgumentOutOfRangeException(nameof(labels), labels, "Use Cifar100Labels.Fine or Cifar100Labels.Coarse.");
        }

        int selected = labels == Cifar100Labels.Coarse ? 0 : 1;
        string trainPath = Path.Combine(directory, TrainFile);
        (byte[] trainPixels, byte[] trainLabels) = CifarBinary.Read(Info.Name, [trainPath], Fields, selected);
        (byte[] testPixels, byte[] testLabels) = CifarBinary.Read(Info.Name, [Path.Combine(directory, TestFile)], Fields, selected);
        IReadOnlyList<string> names = labels == Cifar100Labels.Coarse
            ? CifarBinary.ReadClassNames(Info.Name, Path.Combine(directory, CoarseNamesFile), 20) ?? CoarseClassNames
            : CifarBinary.ReadClassNames(Info.Name, Path.Combine(directory, FineNamesFile), 100) ?? FineClassNames;
        string name = labels == Cifar100Labels.Coarse ? "CIFAR-100 (coarse)" : Info.Name;
        return CifarDatasets.Create(Info with { Name = name, ClassNames = names }, directory, [trainPath], trainPixels, trainLabels, testPixels, testLabels);
    }

    /// <summary>Runs the checks of <see cref="LoadFrom"/> for both label kinds on <paramref name="directory"/> without creating anything.</summary>
    private static void Validate(string directory)
    {
        CifarBinary.Validate(Info.Name, [Path.Combine(directory, TrainFile), Path.Combine(directory, TestFile)], Fields);
        CifarBinary.ReadClassNames(Info.Name, Path.Combine(directory, FineNamesFile), 100);
        CifarBinary.ReadClassNames(Info.Name, Path.Combine(directory, CoarseNamesFile), 20);
    }
}
