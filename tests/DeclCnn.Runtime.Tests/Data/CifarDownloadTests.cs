using System;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading.Tasks;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Data.Cifar;
using DeclCnn.Runtime.Data.Download;
using Xunit;

namespace DeclCnn.Runtime.Tests.Data;

/// <summary>
/// CIFAR archives built here in the official layout (a few synthetic records), served by the fake handler with their
/// real MD5, downloaded and extracted into a data root.
/// </summary>
public sealed class CifarDownloadTests : IDisposable
{
    private const string Cifar10Archive = "cifar-10-binary.tar.gz";

    private readonly TempDirectory root = new();
    private readonly TempDirectory source = new();
    private readonly FakeServer server = new();
    private readonly HttpClient client;

    public CifarDownloadTests()
    {
        Synthetic.EnsureTorch();
        client = new HttpClient(server);
    }

    public void Dispose()
    {
        client.Dispose();
        root.Dispose();
        source.Dispose();
    }

    [Fact]
    public async Task Cifar10_is_downloaded_extracted_and_loaded()
    {
        RemoteFile archive = Serve(Cifar10Archive, Archive(Cifar10.FolderName, d => CifarFiles.WriteCifar10(d)));

        string folder = await Cifar10.DownloadAsync(new DatasetDownloader(client), root.Path, archive: archive);

        Assert.Equal(root.File(Cifar10.FolderName), folder);
        using TrainTestSplit data = Cifar10.Load(root.Path);
        Assert.Equal([10L, 3, 32, 32], data.Train.Images.shape);
        Assert.Equal([1L, 2, 2, 3, 3, 4, 4, 5, 5, 6], data.Train.Labels.data<long>().ToArray());
        Assert.Equal([9L, 0, 4], data.Test.Labels.data<long>().ToArray());
        Assert.Equal(CifarFiles.Pixels(31), data.Train.Images[5].data<byte>().ToArray());
        Assert.Equal("truck", data.Train.Info.ClassNames[9]);
        // The archive stays as the download cache; no staging folder is left.
        Assert.Equal([Cifar10.FolderName, Cifar10Archive], RootEntries());
    }

    [Fact]
    public async Task Cifar100_is_downloaded_extracted_and_loaded_with_either_label()
    {
        RemoteFile archive = Serve("cifar-100-binary.tar.gz", Archive(Cifar100.FolderName, CifarFiles.WriteCifar100));

        string folder = await Cifar100.DownloadAsync(new DatasetDownloader(client), root.Path, archive: archive);

        Assert.Equal(root.File(Cifar100.FolderName), folder);
        using TrainTestSplit fine = Cifar100.Load(root.Path);
        using TrainTestSplit coarse = Cifar100.Load(root.Path, Cifar100Labels.Coarse);
        Assert.Equal([3L, 3, 32, 32], fine.Train.Images.shape);
        Assert.Equal([30L, 99, 4], fine.Train.Labels.data<long>().ToArray());
        Assert.Equal([4L, 19, 0], coarse.Train.Labels.data<long>().ToArray());
        Assert.Equal(CifarFiles.Pixels(50), fine.Test.Images[0].data<byte>().ToArray());
        Assert.Equal([Cifar100.FolderName, "cifar-100-binary.tar.gz"], RootEntries());
    }

    [Fact]
    public async Task A_valid_folder_is_kept_without_any_request()
    {
        RemoteFile archive = Serve(Cifar10Archive, Archive(Cifar10.FolderName, d => CifarFiles.WriteCifar10(d)));
        var downloader = new DatasetDownloader(client);
        string folder = await Cifar10.DownloadAsync(downloader, root.Path, archive: archive);
        File.Delete(root.File(Cifar10Archive));
        File.WriteAllText(Path.Combine(folder, "marker.txt"), "kept");

        await Cifar10.DownloadAsync(downloader, root.Path, archive: archive);

        Assert.Equal(1, server.Requests);
        Assert.True(File.Exists(Path.Combine(folder, "marker.txt")));
    }

    [Fact]
    public async Task A_folder_that_fails_the_checks_is_replaced()
    {
        RemoteFile archive = Serve(Cifar10Archive, Archive(Cifar10.FolderName, d => CifarFiles.WriteCifar10(d)));
        string folder = Directory.CreateDirectory(root.File(Cifar10.FolderName)).FullName;
        CifarFiles.WriteCifar10(folder);
        string damaged = Path.Combine(folder, "data_batch_2.bin");
        File.WriteAllBytes(damaged, File.ReadAllBytes(damaged)[..^100]);

        await Cifar10.DownloadAsync(new DatasetDownloader(client), root.Path, archive: archive);

        using TrainTestSplit data = Cifar10.Load(root.Path);
        Assert.Equal(10, data.Train.Count);
        Assert.Equal([Cifar10.FolderName, Cifar10Archive], RootEntries());
    }

    [Fact]
    public async Task A_truncated_archive_is_reported_by_name_and_leaves_no_folder()
    {
        byte[] complete = Archive(Cifar10.FolderName, d => CifarFiles.WriteCifar10(d));
        // Served with the MD5 of the truncated bytes, so the download passes and extraction meets the truncation.
        RemoteFile archive = Serve(Cifar10Archive, complete[..(complete.Length / 2)]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Cifar10.DownloadAsync(new DatasetDownloader(client), root.Path, archive: archive));

        Assert.StartsWith($"CIFAR-10 archive '{root.File(Cifar10Archive)}' is corrupt or truncated: ", error.Message, StringComparison.Ordinal);
        Assert.Equal([Cifar10Archive], RootEntries());
    }

    [Theory]
    [InlineData("cifar-10-batches-bin/../../escape.bin", TarEntryType.RegularFile, "which would be written outside the folder it is extracted to")]
    [InlineData("../escape.bin", TarEntryType.Directory, "which would be written outside the folder it is extracted to")]
    [InlineData("ABSOLUTE", TarEntryType.RegularFile, "which would be written outside the folder it is extracted to")]
    [InlineData("cifar-10-batches-bin/link.bin", TarEntryType.SymbolicLink, "of type SymbolicLink; only files and folders are extracted")]
    [InlineData("cifar-10-batches-bin/hard.bin", TarEntryType.HardLink, "of type HardLink; only files and folders are extracted")]
    public async Task An_entry_that_could_escape_the_folder_is_refused_naming_archive_and_entry(string name, TarEntryType type, string expected)
    {
        string escaped = root.File("escape.bin");
        string entryName = name == "ABSOLUTE" ? escaped : name;
        var entry = new GnuTarEntry(type, entryName);
        if (type == TarEntryType.RegularFile)
        {
            entry.DataStream = new MemoryStream([1, 2, 3]);
        }
        else if (type is TarEntryType.SymbolicLink or TarEntryType.HardLink)
        {
            entry.LinkName = escaped;
        }

        // The unsafe entry comes last, after the whole dataset folder has been extracted to the staging folder.
        RemoteFile archive = Serve(Cifar10Archive, Archive(Cifar10.FolderName, d => CifarFiles.WriteCifar10(d), entry));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Cifar10.DownloadAsync(new DatasetDownloader(client), root.Path, archive: archive));

        Assert.Contains($"CIFAR-10 archive '{root.File(Cifar10Archive)}' has entry '{entryName}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal([Cifar10Archive], RootEntries());
    }

    [Fact]
    public async Task An_archive_declaring_more_than_the_limit_is_refused_from_the_entry_header()
    {
        byte[] tar = TarGzFiles.DeclaringFirstSize(TarGzFiles.Tar(TarGzFiles.File("cifar-10-batches-bin/data_batch_1.bin", [])), 1L << 31);
        RemoteFile archive = Serve(Cifar10Archive, TarGzFiles.Gzip(tar));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Cifar10.DownloadAsync(new DatasetDownloader(client), root.Path, archive: archive));

        Assert.StartsWith($"CIFAR-10 archive '{root.File(Cifar10Archive)}' declares more than 1073741824 bytes of files", error.Message, StringComparison.Ordinal);
        Assert.Equal([Cifar10Archive], RootEntries());
    }

    [Fact]
    public async Task An_archive_without_its_gzip_trailer_is_refused()
    {
        byte[] complete = Archive(Cifar10.FolderName, d => CifarFiles.WriteCifar10(d));
        // Served with the MD5 of the damaged bytes: the download passes and extraction meets the damage.
        RemoteFile archive = Serve(Cifar10Archive, complete[..^8]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Cifar10.DownloadAsync(new DatasetDownloader(client), root.Path, archive: archive));

        Assert.StartsWith($"CIFAR-10 archive '{root.File(Cifar10Archive)}' is corrupt or truncated: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("trailer", error.Message, StringComparison.Ordinal);
        Assert.Equal([Cifar10Archive], RootEntries());
    }

    [Fact]
    public async Task An_archive_without_a_valid_dataset_folder_names_the_archive_and_the_file()
    {
        RemoteFile archive = Serve(Cifar10Archive, Archive(Cifar10.FolderName, d =>
        {
            CifarFiles.WriteCifar10(d);
            File.Delete(Path.Combine(d, "data_batch_3.bin"));
        }));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Cifar10.DownloadAsync(new DatasetDownloader(client), root.Path, archive: archive));

        Assert.StartsWith($"CIFAR-10 archive '{root.File(Cifar10Archive)}' does not hold a valid 'cifar-10-batches-bin' folder: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("data_batch_3.bin' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Equal([Cifar10Archive], RootEntries());
    }

    [Fact]
    public async Task A_checksum_mismatch_leaves_nothing()
    {
        byte[] content = Archive(Cifar10.FolderName, d => CifarFiles.WriteCifar10(d));
        server.Serve("https://cifar.test/" + Cifar10Archive, content);
        RemoteFile archive = RemoteFile.AtMirrors(Cifar10Archive, Md5([1, 2, 3]), "https://cifar.test/");

        var error = await Assert.ThrowsAsync<DatasetDownloadException>(() => Cifar10.DownloadAsync(new DatasetDownloader(client), root.Path, archive: archive));

        Assert.Contains("MD5 checksum", error.Message, StringComparison.Ordinal);
        Assert.Empty(RootEntries());
    }

    private static string Md5(byte[] content)
    {
#pragma warning disable CA5351 // MD5 is what the official mirrors publish.
        return "md5:" + Convert.ToHexString(MD5.HashData(content));
#pragma warning restore CA5351
    }

    /// <summary>A tar.gz holding <paramref name="folder"/>/ with the files <paramref name="write"/> puts there, then <paramref name="extra"/>.</summary>
    private byte[] Archive(string folder, Action<string> write, params TarEntry[] extra)
    {
        string directory = Directory.CreateDirectory(source.File(folder)).FullName;
        write(directory);
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Gnu))
        {
            tar.WriteEntry(new GnuTarEntry(TarEntryType.Directory, folder + "/"));
            foreach (string file in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
            {
                tar.WriteEntry(file, $"{folder}/{Path.GetFileName(file)}");
            }

            foreach (TarEntry entry in extra)
            {
                tar.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }

    private RemoteFile Serve(string fileName, byte[] content)
    {
        server.Serve("https://cifar.test/" + fileName, content);
        return RemoteFile.AtMirrors(fileName, Md5(content), "https://cifar.test/");
    }

    private string[] RootEntries() =>
        Directory.GetFileSystemEntries(root.Path).Select(path => Path.GetRelativePath(root.Path, path)).Order(StringComparer.Ordinal).ToArray();
}
