using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Data.Download;
using Xunit;

namespace DeclCnn.Runtime.Tests.Data;

public sealed class DownloaderTests : IDisposable
{
    private static readonly byte[] Content = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 31)).ToArray();
    private static readonly string Sha256 = "sha256:" + Convert.ToHexString(SHA256.HashData(Content));

    private readonly TempDirectory temp = new();
    private readonly FakeServer server = new();
    private readonly HttpClient client;

    public DownloaderTests() => client = new HttpClient(server);

    public void Dispose()
    {
        client.Dispose();
        temp.Dispose();
    }

    [Fact]
    public async Task Downloads_verifies_and_reports_progress()
    {
        server.Serve("https://a.test/data/file.bin", Content);
        var reports = new List<DownloadProgress>();

        string path = await new DatasetDownloader(client).FetchAsync(
            RemoteFile.AtMirrors("file.bin", Sha256, "https://a.test/data"), temp.Path, new Recorder(reports));

        Assert.Equal(temp.File("file.bin"), path);
        Assert.Equal(Content, File.ReadAllBytes(path));
        Assert.Equal(0, reports[0].BytesReceived);
        Assert.Equal(Content.Length, reports[^1].BytesReceived);
        Assert.All(reports, r => Assert.Equal(Content.Length, r.TotalBytes));
        Assert.Equal(["file.bin"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_valid_cached_file_is_not_downloaded_again()
    {
        server.Serve("https://a.test/file.bin", Content);
        var downloader = new DatasetDownloader(client);
        var file = RemoteFile.AtMirrors("file.bin", Sha256, "https://a.test/");

        await downloader.FetchAsync(file, temp.Path);
        await downloader.FetchAsync(file, temp.Path);

        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task A_corrupt_cached_file_is_replaced()
    {
        server.Serve("https://a.test/file.bin", Content);
        File.WriteAllBytes(temp.File("file.bin"), [1, 2, 3]);

        await new DatasetDownloader(client).FetchAsync(RemoteFile.AtMirrors("file.bin", Sha256, "https://a.test/"), temp.Path);

        Assert.Equal(Content, File.ReadAllBytes(temp.File("file.bin")));
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task A_corrupt_mirror_falls_back_to_the_next_and_md5_works()
    {
        byte[] corrupt = (byte[])Content.Clone();
        corrupt[1234] ^= 0xFF;
        server.Serve("https://bad.test/file.bin", corrupt);
        server.Serve("https://good.test/file.bin", Content);
#pragma warning disable CA5351 // MD5 is what the official mirrors publish.
        string md5 = "md5:" + Convert.ToHexString(MD5.HashData(Content)).ToLowerInvariant();
#pragma warning restore CA5351

        string path = await new DatasetDownloader(client).FetchAsync(
            RemoteFile.AtMirrors("file.bin", md5, "https://bad.test", "https://good.test"), temp.Path);

        Assert.Equal(Content, File.ReadAllBytes(path));
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task When_every_mirror_fails_nothing_is_left_that_passes_as_valid()
    {
        byte[] corrupt = (byte[])Content.Clone();
        corrupt[^1] ^= 1;
        server.Serve("https://corrupt.test/file.bin", corrupt);
        server.ServeBroken("https://reset.test/file.bin", Content, breakAfter: 70_000);
        var file = RemoteFile.AtMirrors("file.bin", Sha256, "https://corrupt.test", "https://reset.test", "https://missing.test");

        var error = await Assert.ThrowsAsync<DatasetDownloadException>(() => new DatasetDownloader(client).FetchAsync(file, temp.Path));

        Assert.Contains("https://corrupt.test/file.bin: SHA256 checksum", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not match the expected " + Sha256[7..].ToLowerInvariant(), error.Message, StringComparison.Ordinal);
        Assert.Contains("https://reset.test/file.bin: connection reset", error.Message, StringComparison.Ordinal);
        Assert.Contains("https://missing.test/file.bin: HTTP 404", error.Message, StringComparison.Ordinal);
        Assert.Contains(temp.Path, error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public async Task A_transfer_shorter_than_announced_is_rejected()
    {
        server.Serve("https://short.test/file.bin", Content[..1000], announcedLength: Content.Length);

        var error = await Assert.ThrowsAsync<DatasetDownloadException>(() =>
            new DatasetDownloader(client).FetchAsync(RemoteFile.AtMirrors("file.bin", Sha256, "https://short.test"), temp.Path));

        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public async Task Cancelling_removes_the_partial_file()
    {
        using var cancel = new CancellationTokenSource();
        server.Serve("https://a.test/file.bin", Content);
        var progress = new Recorder([], onReport: p =>
        {
            if (p.BytesReceived > 0)
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new DatasetDownloader(client).FetchAsync(RemoteFile.AtMirrors("file.bin", Sha256, "https://a.test"), temp.Path, progress, cancel.Token));

        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void The_progress_bar_draws_one_line_per_percent_and_ends_it()
    {
        using var output = new StringWriter();
        var bar = new DownloadProgressBar(output);
        var source = new Uri("https://a.test/f");

        for (long received = 0; received <= 2_000_000; received += 1000)
        {
            bar.Report(new DownloadProgress("f.gz", source, received, 2_000_000));
        }

        string text = output.ToString();
        Assert.Equal(101, text.Count(c => c == '\r'));
        Assert.EndsWith("f.gz [####################] 100%  2.0/2.0 MB" + Environment.NewLine, text, StringComparison.Ordinal);
        Assert.Contains("\rf.gz [##########----------]  50%  1.0/2.0 MB", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_descriptions_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => RemoteFile.AtMirrors("../x", Sha256, "https://a.test"));
        Assert.Throws<ArgumentException>(() => RemoteFile.AtMirrors("x", "sha1:00", "https://a.test"));
        Assert.Throws<ArgumentException>(() => RemoteFile.AtMirrors("x", "md5:xyz", "https://a.test"));
        Assert.Throws<ArgumentException>(() => new RemoteFile("x", [], Sha256));
    }

    [Fact]
    public void The_catalog_describes_the_official_files()
    {
        Assert.Equal(MnistLayout.FileNames.Select(n => n + ".gz"), OfficialFiles.FashionMnist.Select(f => f.FileName));
        Assert.Equal("8D4FB7E6C68D591D4C3DFEF9EC88BF0D", OfficialFiles.FashionMnist[0].ExpectedHash);
        Assert.Equal(HashAlgorithmName.MD5, OfficialFiles.Cifar10Archive.Algorithm);
        Assert.All(OfficialFiles.Mnist.Concat(OfficialFiles.FashionMnist).Append(OfficialFiles.Cifar10Archive).Append(OfficialFiles.Cifar100Archive),
            f => Assert.All(f.Mirrors, m => Assert.EndsWith("/" + f.FileName, m.AbsoluteUri, StringComparison.Ordinal)));
    }

    private sealed class Recorder(List<DownloadProgress> reports, Action<DownloadProgress>? onReport = null) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value)
        {
            reports.Add(value);
            onReport?.Invoke(value);
        }
    }
}
