using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.IO.Hashing;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Data.Cifar;
using SkiaSharp;
using Xunit;

namespace DeclCnn.Runtime.Tests.Data;

/// <summary>
/// Damaged and hostile data files: every one must stop the load with an exception that names the file and the
/// problem, before any large allocation, and none may load as if it were valid.
/// </summary>
public sealed class DataFaultTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public DataFaultTests() => Synthetic.EnsureTorch();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("images")]
    [InlineData("images.gz")]
    public void A_header_whose_byte_count_overflows_64_bits_is_refused(string name)
    {
        // 2^22 x 2^21 x 2^21 = 2^64: wrapped to 0, it matched a file without pixels.
        string path = temp.File(name);
        WriteMaybeGzip(path, ImagesHeader(1u << 22, 1u << 21, 1u << 21));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.StartsWith($"IDX file '{path}' declares 4194304 images of 2097152x2097152", error.Message, StringComparison.Ordinal);
        Assert.Contains("64-bit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_that_wraps_to_a_negative_count_names_the_file()
    {
        // 2^31 images of 2^31 x 4: the product wraps to 0 and the count to int.MinValue.
        string path = temp.File("images");
        File.WriteAllBytes(path, ImagesHeader(1u << 31, 1u << 31, 4));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.StartsWith($"IDX file '{path}' declares 2147483648 images of 2147483648x4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_idx_file_declaring_more_than_an_array_holds_is_refused_from_its_header()
    {
        // The header declares 2.6 GB; what follows it is a cut-off gzip stream, so a reader that went past the header
        // would report the damage, not the size.
        string path = temp.File("images.gz");
        byte[] compressed = Gzip([.. ImagesHeader(40_000, 256, 256), .. Enumerable.Range(0, 1 << 16).Select(i => (byte)(i * 31))]);
        File.WriteAllBytes(path, compressed[..(compressed.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Equal(
            $"IDX file '{path}' declares 40000 images of 256x256 (2621440000 bytes), more than the {Array.MaxLength} bytes one IDX file may hold.",
            error.Message);
    }

    [Fact]
    public void A_label_file_declaring_more_than_an_array_holds_is_refused_from_its_header()
    {
        string path = temp.File("labels");
        File.WriteAllBytes(path, [0, 0, 8, 1, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path, 10));

        Assert.StartsWith($"IDX file '{path}' declares 4294967295 labels (4294967295 bytes), more than the", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gzip_file_without_its_crc_trailer_is_refused()
    {
        string path = temp.File("labels.gz");
        IdxWriter.WriteLabels(path, new byte[] { 1, 2, 3, 4 });
        byte[] complete = File.ReadAllBytes(path);
        File.WriteAllBytes(path, complete[..^8]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path, 10));

        Assert.StartsWith($"IDX file '{path}' is not a valid gzip stream", error.Message, StringComparison.Ordinal);
        Assert.Contains("trailer", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x1F, 0x8B, 8, 0, 0 })]
    public void A_gzip_file_with_trailing_garbage_is_refused(byte[] garbage)
    {
        string path = temp.File("labels.gz");
        IdxWriter.WriteLabels(path, new byte[] { 1, 2, 3, 4 });
        File.WriteAllBytes(path, [.. File.ReadAllBytes(path), .. garbage]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path, 10));

        Assert.StartsWith($"IDX file '{path}' is not a valid gzip stream", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{garbage.Length} bytes after the end of the gzip data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gzip_file_whose_crc_does_not_match_is_refused()
    {
        string path = temp.File("labels.gz");
        IdxWriter.WriteLabels(path, new byte[] { 1, 2, 3, 4 });
        byte[] content = File.ReadAllBytes(path);
        content[^8] ^= 0x40;
        File.WriteAllBytes(path, content);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path, 10));

        Assert.StartsWith($"IDX file '{path}' is not a valid gzip stream", error.Message, StringComparison.Ordinal);
        Assert.Contains("CRC-32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concatenated_gzip_members_are_read_as_one_file()
    {
        byte[] content = [0, 0, 8, 1, 0, 0, 0, 5, 1, 2, 3, 4, 5];
        string path = temp.File("labels.gz");
        File.WriteAllBytes(path, [.. Gzip(content[..6]), .. Gzip(content[6..]), .. Gzip([])]);

        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, IdxReader.ReadLabels(path, 10).ToArray());
    }

    [Fact]
    public void A_png_declaring_100000_by_100000_pixels_is_refused_before_decoding()
    {
        string folder = Directory.CreateDirectory(temp.File(Path.Combine("images", "cat"))).FullName;
        string path = Path.Combine(folder, "huge.png");
        File.WriteAllBytes(path, PngDeclaring(100_000, 100_000));

        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(temp.File("images")));

        Assert.Equal(
            $"Image file '{path}' declares 100000x100000 pixels (width x height), more than the limit of 40,000,000; nothing was decoded.",
            error.Message);
    }

    [Fact]
    public void A_cifar_folder_with_a_constant_channel_is_invalid_data_naming_the_files()
    {
        string folder = temp.Path;
        for (int file = 1; file <= 5; file++)
        {
            CifarFiles.Write(Path.Combine(folder, $"data_batch_{file}.bin"), Enumerable.Repeat((new byte[] { 1 }, 7), DatasetStatistics.MinimumImages / 5).ToArray());
        }

        CifarFiles.Write(Path.Combine(folder, Cifar10.TestFile), (new byte[] { 3 }, 7));

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.LoadFrom(folder));

        Assert.StartsWith($"CIFAR-10 training files '{Path.Combine(folder, "data_batch_1.bin")}', ", error.Message, StringComparison.Ordinal);
        Assert.Contains("constant channel", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, DatasetStatistics.CacheFileName)));
    }

    [Fact]
    public void A_directory_given_as_an_idx_file_is_named_as_such()
    {
        string path = Directory.CreateDirectory(temp.File("images")).FullName;

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Equal($"IDX file '{path}' is a directory, not a file.", error.Message);
    }

    [Fact]
    public void A_directory_in_place_of_an_mnist_file_is_named_as_such()
    {
        foreach (string name in MnistLayout.FileNames)
        {
            File.WriteAllBytes(temp.File(name + ".gz"), []);
        }

        string path = temp.File(MnistLayout.TrainImages + ".gz");
        File.Delete(path);
        Directory.CreateDirectory(path);

        var error = Assert.Throws<InvalidDataException>(() => MnistLayout.Load(temp.Path, FashionMnist.Info));

        Assert.Equal($"IDX file '{path}' is a directory, not a file.", error.Message);
    }

    [Theory]
    [InlineData("data_batch_3.bin")]
    [InlineData(Cifar10.MetaFile)]
    public void A_directory_in_place_of_a_cifar_file_is_named_as_such(string name)
    {
        CifarFiles.WriteCifar10(temp.Path);
        string path = temp.File(name);
        File.Delete(path);
        Directory.CreateDirectory(path);

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.LoadFrom(temp.Path));

        Assert.Equal($"CIFAR-10 file '{path}' is a directory, not a file.", error.Message);
    }

    [Fact]
    public void A_directory_in_place_of_an_npm_class_file_is_named_as_such()
    {
        string clothes = Directory.CreateDirectory(temp.File(Path.Combine("package", "src", "clothes"))).FullName;
        string path = Directory.CreateDirectory(Path.Combine(clothes, "0.json")).FullName;

        var error = Assert.Throws<InvalidDataException>(() => FashionMnistNpm.Convert(temp.File("package"), temp.File("idx"), 1, 1));

        Assert.Equal($"Fashion-MNIST package file '{path}' is a directory, not a file.", error.Message);
    }

    [Fact]
    public void A_loader_over_a_dataset_without_images_is_refused()
    {
        string images = temp.File("images.gz"), labels = temp.File("labels.gz");
        IdxWriter.WriteImages(images, new IdxImages(0, 2, 2, Array.Empty<byte>()));
        IdxWriter.WriteLabels(labels, Array.Empty<byte>());
        using ImageDataset empty = ImageDataset.FromBytes(
            IdxReader.ReadImages(images).Pixels.Span, IdxReader.ReadLabels(labels, 3).Span, Synthetic.Info(2, 3, Normalization.None));

        var error = Assert.Throws<ArgumentException>(() => new BatchLoader(empty, new LoaderOptions()));

        Assert.StartsWith("Dataset 'Synthetic' has no images: there is nothing to load.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_loader_whose_only_batch_is_dropped_is_refused()
    {
        using ImageDataset few = Synthetic.Indexed(5, Normalization.None);

        var error = Assert.Throws<ArgumentException>(() => new BatchLoader(few, new LoaderOptions { BatchSize = 8, DropLast = true }));

        Assert.StartsWith(
            "Dataset 'Synthetic' has 5 images, fewer than one batch of 8, and DropLast drops that batch: every epoch would be empty.",
            error.Message,
            StringComparison.Ordinal);
    }

    private static byte[] ImagesHeader(uint count, uint rows, uint columns)
    {
        var header = new byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(header, 0x00000803);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), count);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), rows);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(12), columns);
        return header;
    }

    private static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }

    private static void WriteMaybeGzip(string path, byte[] content) =>
        File.WriteAllBytes(path, path.EndsWith(".gz", StringComparison.Ordinal) ? Gzip(content) : content);

    /// <summary>A valid 1x1 PNG whose header (IHDR, with its CRC) is rewritten to declare <paramref name="width"/> x <paramref name="height"/>.</summary>
    private static byte[] PngDeclaring(int width, int height)
    {
        using var bitmap = new SKBitmap(1, 1);
        bitmap.SetPixel(0, 0, SKColors.Red);
        using SKData encoded = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        byte[] png = encoded.ToArray();
        // Signature (8), IHDR length (4), "IHDR" (4), then width and height; the CRC covers type and the 13 data bytes.
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32.HashToUInt32(png.AsSpan(12, 17)));
        return png;
    }
}
