using System;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using Xunit;

namespace DeclCnn.Runtime.Tests.Data;

/// <summary>
/// The one tar.gz extractor on its own: what it takes, its limits and its all-or-nothing replacement. Its uses (the CIFAR
/// download and the npm package) have their own tests in <see cref="CifarDownloadTests"/> and <see cref="FashionMnistNpmTests"/>.
/// </summary>
public sealed class TarGzArchiveTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Only_the_folder_is_taken_relative_to_it()
    {
        string archive = Write(TarGzFiles.Gzip(TarGzFiles.Tar(
            TarGzFiles.File("./pkg/a/x.txt", [1]),
            TarGzFiles.File("pkg/a/sub/y.txt", [2, 3]),
            TarGzFiles.File("pkg/other.txt", [4]),
            TarGzFiles.File("pkg/ab.txt", [5]))));

        TarGzArchive.Extract(archive, "Test archive", "pkg/a", temp.File(Path.Combine("out", "a")));

        Assert.Equal([1], File.ReadAllBytes(temp.File(Path.Combine("out", "a", "x.txt"))));
        Assert.Equal([2, 3], File.ReadAllBytes(temp.File(Path.Combine("out", "a", "sub", "y.txt"))));
        Assert.Equal(["a"], Entries("out"));
    }

    [Fact]
    public void A_destination_is_replaced_only_after_the_checks_pass()
    {
        string destination = Directory.CreateDirectory(temp.File("dest")).FullName;
        File.WriteAllText(Path.Combine(destination, "old.txt"), "old");
        string archive = Write(TarGzFiles.Gzip(TarGzFiles.Tar(TarGzFiles.File("pkg/new.txt", [1]))));

        var error = Assert.Throws<InvalidDataException>(() => TarGzArchive.Extract(
            archive, "Test archive", "pkg", destination, folder => throw new InvalidDataException($"'{Path.GetFileName(folder)}' is not wanted")));

        Assert.StartsWith($"Test archive '{archive}' does not hold a valid 'pkg' folder: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(["old.txt"], Entries("dest"));
        Assert.Equal(["archive.tar.gz", "dest"], Entries(""));

        TarGzArchive.Extract(archive, "Test archive", "pkg", destination, folder => Assert.True(File.Exists(Path.Combine(folder, "new.txt"))));

        Assert.Equal(["new.txt"], Entries("dest"));
        Assert.Equal(["archive.tar.gz", "dest"], Entries(""));
    }

    [Fact]
    public void More_entries_than_the_limit_are_refused()
    {
        string archive = Write(TarGzFiles.Gzip(TarGzFiles.Tar(Enumerable.Range(0, 4).Select(i => TarGzFiles.File($"pkg/{i}.txt", [1])).ToArray())));

        var error = Assert.Throws<InvalidDataException>(() => TarGzArchive.Extract(archive, "Test archive", "pkg", temp.File("out"), limits: new ArchiveLimits(1000, 3)));

        Assert.Equal($"Test archive '{archive}' has more than 3 entries; the archive was not extracted.", error.Message);
        Assert.Equal(["archive.tar.gz"], Entries(""));
    }

    [Fact]
    public void More_bytes_than_the_limit_are_refused_counting_entries_outside_the_folder()
    {
        string archive = Write(TarGzFiles.Gzip(TarGzFiles.Tar(TarGzFiles.File("elsewhere/a.bin", new byte[6]), TarGzFiles.File("pkg/b.bin", new byte[6]))));

        var error = Assert.Throws<InvalidDataException>(() => TarGzArchive.Extract(archive, "Test archive", "pkg", temp.File("out"), limits: new ArchiveLimits(10, 100)));

        Assert.Equal($"Test archive '{archive}' declares more than 10 bytes of files (entry 'pkg/b.bin' brings them to 12); the archive was not extracted.", error.Message);
        Assert.Equal(["archive.tar.gz"], Entries(""));
    }

    [Fact]
    public void A_declared_size_over_the_limit_is_refused_before_its_data_is_read()
    {
        // 2 GiB declared, no data behind it: reading it would report a truncated archive instead.
        byte[] tar = TarGzFiles.DeclaringFirstSize(TarGzFiles.Tar(TarGzFiles.File("pkg/big.bin", [])), 1L << 31);
        string archive = Write(TarGzFiles.Gzip(tar));

        var error = Assert.Throws<InvalidDataException>(() => TarGzArchive.Extract(archive, "Test archive", "pkg", temp.File("out")));

        Assert.Equal(
            $"Test archive '{archive}' declares more than 1073741824 bytes of files (entry 'pkg/big.bin' brings them to 2147483648); the archive was not extracted.",
            error.Message);
    }

    [Fact]
    public void An_unsafe_entry_outside_the_folder_still_stops_the_extraction()
    {
        string archive = Write(TarGzFiles.Gzip(TarGzFiles.Tar(
            TarGzFiles.File("pkg/a.txt", [1]), TarGzFiles.Link(TarEntryType.SymbolicLink, "elsewhere/link", "/etc/passwd"))));

        var error = Assert.Throws<InvalidDataException>(() => TarGzArchive.Extract(archive, "Test archive", "pkg", temp.File("out")));

        Assert.Equal(
            $"Test archive '{archive}' has entry 'elsewhere/link' of type SymbolicLink; only files and folders are extracted; the archive was not extracted.",
            error.Message);
        Assert.Equal(["archive.tar.gz"], Entries(""));
    }

    [Fact]
    public void An_archive_without_the_folder_is_refused()
    {
        string archive = Write(TarGzFiles.Gzip(TarGzFiles.Tar(TarGzFiles.File("other/a.txt", [1]))));

        var error = Assert.Throws<InvalidDataException>(() => TarGzArchive.Extract(archive, "Test archive", "pkg", temp.File("out")));

        Assert.Equal($"Test archive '{archive}' has no folder 'pkg'.", error.Message);
        Assert.Equal(["archive.tar.gz"], Entries(""));
    }

    [Theory]
    [InlineData("no trailer", "trailer")]
    [InlineData("trailing garbage", "bytes after the end of the gzip data")]
    public void Damaged_gzip_data_after_the_tar_is_refused(string damage, string expected)
    {
        byte[] compressed = TarGzFiles.Gzip(TarGzFiles.Tar(TarGzFiles.File("pkg/a.txt", [1])));
        string archive = Write(damage == "no trailer" ? compressed[..^8] : [.. compressed, 1, 2, 3]);

        var error = Assert.Throws<InvalidDataException>(() => TarGzArchive.Extract(archive, "Test archive", "pkg", temp.File("out")));

        Assert.StartsWith($"Test archive '{archive}' is corrupt or truncated: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(["archive.tar.gz"], Entries(""));
    }

    private string Write(byte[] content)
    {
        string path = temp.File("archive.tar.gz");
        File.WriteAllBytes(path, content);
        return path;
    }

    private string[] Entries(string folder)
    {
        string path = temp.File(folder);
        return Directory.GetFileSystemEntries(path).Select(p => Path.GetRelativePath(path, p)).Order(StringComparer.Ordinal).ToArray();
    }
}
