using System.Collections.Generic;
using System.Linq;

namespace DeclCnn.Runtime.Data.Download;

/// <summary>
/// The official files of the built-in datasets, with their published MD5 sums and mirrors, for
/// <see cref="DatasetDownloader"/>. The IDX files go straight into the dataset folder; the CIFAR archives are
/// downloaded into the data root and extracted there by <see cref="Cifar.Cifar10.DownloadAsync"/> and <see cref="Cifar.Cifar100.DownloadAsync"/>.
/// </summary>
public static class OfficialFiles
{
    /// <summary>MNIST's four gzip IDX files (mirrors: the OSSCI S3 bucket, then the Google CVDF bucket).</summary>
    public static IReadOnlyList<RemoteFile> Mnist { get; } = Files(
        [
            ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
            ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
            ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
        ],
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/");

    /// <summary>Fashion-MNIST's four gzip IDX files (mirrors: Zalando's S3 website, then the GitHub repository).</summary>
    public static IReadOnlyList<RemoteFile> FashionMnist { get; } = Files(
        [
            ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
            ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
            ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
            ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
        ],
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/");

    /// <summary>The CIFAR-10 binary archive (extracts to <c>cifar-10-batches-bin/</c>).</summary>
    public static RemoteFile Cifar10Archive { get; } =
        RemoteFile.AtMirrors("cifar-10-binary.tar.gz", "md5:c32a1d4ab5d03f1284b67883e8d87530", "https://www.cs.toronto.edu/~kriz/");

    /// <summary>The CIFAR-100 binary archive (extracts to <c>cifar-100-binary/</c>).</summary>
    public static RemoteFile Cifar100Archive { get; } =
        RemoteFile.AtMirrors("cifar-100-binary.tar.gz", "md5:03b5dce01913d631647c71ecec9e9cb8", "https://www.cs.toronto.edu/~kriz/");

    private static RemoteFile[] Files((string Name, string Md5)[] files, params string[] mirrors) =>
        files.Select(f => RemoteFile.AtMirrors(f.Name, "md5:" + f.Md5, mirrors)).ToArray();
}
