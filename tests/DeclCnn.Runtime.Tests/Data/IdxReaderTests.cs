using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using DeclCnn.Runtime.Data;
using Xunit;

namespace DeclCnn.Runtime.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("images")]
    [InlineData("images.gz")]
    public void Images_round_trip(string name)
    {
        byte[] pixels = Enumerable.Range(0, 3 * 4 * 5).Select(i => (byte)(i * 7)).ToArray();
        string path = temp.File(name);

        IdxWriter.WriteImages(path, new IdxImages(3, 4, 5, pixels));
        IdxImages read = IdxReader.ReadImages(path);

        Assert.Equal((3, 4, 5), (read.Count, read.Rows, read.Columns));
        Assert.Equal(pixels, read.Pixels.ToArray());
    }

    [Theory]
    [InlineData("labels")]
    [InlineData("labels.gz")]
    public void Labels_round_trip(string name)
    {
        byte[] labels = [0, 9, 3, 3, 1];
        string path = temp.File(name);

        IdxWriter.WriteLabels(path, labels);

        Assert.Equal(labels, IdxReader.ReadLabels(path, 10).ToArray());
    }

    [Fact]
    public void Gzip_is_recognised_by_content_not_name()
    {
        string path = temp.File("labels.bin");
        WriteGzip(path, [0, 0, 8, 1, 0, 0, 0, 2, 4, 5]);

        Assert.Equal(new byte[] { 4, 5 }, IdxReader.ReadLabels(path, 10).ToArray());
    }

    [Fact]
    public void Writer_leaves_no_temporary_files()
    {
        IdxWriter.WriteLabels(temp.File("labels.gz"), new byte[] { 1 });

        Assert.Equal(["labels.gz"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Label_file_read_as_images_reports_the_magic_number()
    {
        string path = temp.File("labels");
        IdxWriter.WriteLabels(path, new byte[] { 1, 2 });

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("magic number 0x00000801, expected 0x00000803", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Image_file_read_as_labels_reports_the_magic_number()
    {
        string path = temp.File("images.gz");
        IdxWriter.WriteImages(path, new IdxImages(1, 1, 1, new byte[] { 1 }));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path, 10));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("magic number 0x00000803, expected 0x00000801", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("images")]
    [InlineData("images.gz")]
    public void Truncated_pixel_data_is_reported(string name)
    {
        string path = temp.File(name);
        byte[] complete = ImageFileBytes(count: 2, rows: 3, columns: 3);
        WriteMaybeGzip(path, complete[..^5]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 images of 3x3 (18 bytes) but only 13 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_header_is_reported()
    {
        string path = temp.File("images");
        File.WriteAllBytes(path, [0, 0, 8, 3, 0, 0]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated: 6 bytes, shorter than the 16-byte header", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cut_off_gzip_stream_is_reported_with_the_file()
    {
        string path = temp.File("images.gz");
        IdxWriter.WriteImages(path, new IdxImages(50, 28, 28, new byte[50 * 28 * 28]));
        byte[] compressed = File.ReadAllBytes(path);
        File.WriteAllBytes(path, compressed[..(compressed.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trailing_bytes_are_reported()
    {
        string path = temp.File("labels");
        File.WriteAllBytes(path, [0, 0, 8, 1, 0, 0, 0, 1, 3, 3, 3]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path, 10));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("2 unexpected bytes after the 1 labels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_sized_images_are_reported()
    {
        string path = temp.File("images");
        File.WriteAllBytes(path, [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 28]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("images of 0x28 pixels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_out_of_range_is_reported_with_its_index()
    {
        string path = temp.File("labels.gz");
        IdxWriter.WriteLabels(path, new byte[] { 0, 9, 10, 1 });

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path, 10));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("label 10 at index 2 is outside 0..9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_reported_with_its_path()
    {
        string path = temp.File("absent");

        var error = Assert.Throws<FileNotFoundException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    private static byte[] ImageFileBytes(int count, int rows, int columns)
    {
        byte[] header = [0, 0, 8, 3, 0, 0, 0, (byte)count, 0, 0, 0, (byte)rows, 0, 0, 0, (byte)columns];
        return [.. header, .. new byte[count * rows * columns]];
    }

    private static void WriteMaybeGzip(string path, byte[] content)
    {
        if (path.EndsWith(".gz", StringComparison.Ordinal))
        {
            WriteGzip(path, content);
        }
        else
        {
            File.WriteAllBytes(path, content);
        }
    }

    private static void WriteGzip(string path, byte[] content)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(content);
    }
}
