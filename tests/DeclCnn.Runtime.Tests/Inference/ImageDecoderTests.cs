using System;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Inference;
using DeclCnn.Runtime.Tests.Data;
using SkiaSharp;
using Xunit;

namespace DeclCnn.Runtime.Tests.Inference;

/// <summary>How images become a network's input: channels, fitting, alpha, 16 bits, limits and bad files.</summary>
public class ImageDecoderTests
{
    [Fact]
    public void Rgb_becomes_planes_for_three_channels_and_luma_for_one()
    {
        byte[] png = TestImages.Png(4, 4, new SKColor(200, 100, 50));

        byte[] rgb = new ImageDecoder(3, 4, 4).Decode(png, "orange.png");
        byte[] grey = new ImageDecoder(1, 4, 4).Decode(png, "orange.png");

        Assert.Equal(Enumerable.Repeat((byte)200, 16).Concat(Enumerable.Repeat((byte)100, 16)).Concat(Enumerable.Repeat((byte)50, 16)), rgb);
        // (299 * 200 + 587 * 100 + 114 * 50 + 500) / 1000 = 124
        Assert.All(grey, value => Assert.Equal(124, value));
    }

    [Fact]
    public void Resize_squeezes_the_whole_image_and_center_crop_keeps_the_middle()
    {
        // 30x10: red, green and blue thirds.
        using SKBitmap wide = TestImages.Bitmap(30, 10, (x, _) => x < 10 ? SKColors.Red : x < 20 ? SKColors.Lime : SKColors.Blue);

        byte[] cropped = new ImageDecoder(3, 10, 10, ImageFit.CenterCrop).Convert(wide);
        byte[] resized = new ImageDecoder(3, 10, 10, ImageFit.Resize).Convert(wide);

        Assert.Equal(Enumerable.Repeat((byte)0, 100).Concat(Enumerable.Repeat((byte)255, 100)).Concat(Enumerable.Repeat((byte)0, 100)), cropped);
        // Squeezed, the left column is red and the right one blue.
        Assert.True(resized[0] > 200 && resized[100] < 50, $"left pixel R {resized[0]}, G {resized[100]}");
        Assert.True(resized[200 + 9] > 200 && resized[9] < 50, $"right pixel B {resized[209]}, R {resized[9]}");
    }

    [Fact]
    public void Center_crop_of_a_larger_image_resizes_its_shorter_side_to_the_input()
    {
        // 40x20: the left half black, the right half white; cropped to 10x10 after scaling to 20x10 the middle
        // straddles the edge: five black columns and five white ones (up to the filter's blur at the edge).
        using SKBitmap image = TestImages.Bitmap(40, 20, (x, _) => x < 20 ? SKColors.Black : SKColors.White);

        byte[] cropped = new ImageDecoder(1, 10, 10, ImageFit.CenterCrop).Convert(image);

        Assert.True(cropped[0] < 10 && cropped[3] < 20, $"left {cropped[0]}, {cropped[3]}");
        Assert.True(cropped[9] > 245 && cropped[6] > 235, $"right {cropped[9]}, {cropped[6]}");
    }

    [Fact]
    public void Alpha_is_ignored_and_colours_are_kept()
    {
        byte[] png = TestImages.RgbaPng(2, 2, new SKColor(200, 100, 50, 0));

        byte[] rgb = new ImageDecoder(3, 2, 2).Decode(png, "transparent.png");

        Assert.Equal([200, 200, 200, 200, 100, 100, 100, 100, 50, 50, 50, 50], rgb);
    }

    [Fact]
    public void A_sixteen_bit_png_is_read_at_eight_bits()
    {
        byte[] png = TestImages.Grey16Png(3, 3, 0xABCD);

        byte[] grey = new ImageDecoder(1, 3, 3).Decode(png, "deep.png");
        byte[] rgb = new ImageDecoder(3, 3, 3).Decode(png, "deep.png");

        // 0xABCD / 65535 * 255 = 171.3
        Assert.All(grey, value => Assert.InRange(value, 171, 172));
        Assert.All(rgb, value => Assert.Equal(grey[0], value));
    }

    [Fact]
    public void A_huge_declared_size_is_refused_before_decoding()
    {
        byte[] png = TestImages.HugeDeclaredPng(100_000, 100_000);

        var error = Assert.Throws<InvalidDataException>(() => new ImageDecoder(1, 28, 28).Decode(png, "bomb.png"));

        Assert.Equal("Image file 'bomb.png' declares 100000x100000 pixels (width x height), more than the limit of 40,000,000; nothing was decoded.", error.Message);
        Assert.Throws<InvalidDataException>(() => new ImageDecoder(1, 28, 28, maxPixels: 99).Decode(TestImages.Png(10, 10, SKColors.Red), "small.png"));
    }

    [Fact]
    public void Bad_files_are_errors_naming_the_file()
    {
        using var folder = new TempDirectory();
        var decoder = new ImageDecoder(1, 4, 4);
        string empty = folder.File("empty.png");
        File.WriteAllBytes(empty, []);
        string text = folder.File("notes.png");
        File.WriteAllText(text, "not an image");
        string truncated = folder.File("truncated.png");
        using SKBitmap pattern = TestImages.Bitmap(64, 64, (x, y) => new SKColor((byte)(x * 4), (byte)(y * 4), (byte)(x ^ y)));
        byte[] png = TestImages.Png(pattern);
        File.WriteAllBytes(truncated, png[..(png.Length / 2)]);
        string missing = folder.File("missing.png");

        Assert.Equal($"Image file '{empty}' is empty.", Assert.Throws<InvalidDataException>(() => decoder.Read(empty)).Message);
        Assert.StartsWith($"Image file '{text}' is not a PNG or JPEG image", Assert.Throws<InvalidDataException>(() => decoder.Read(text)).Message, StringComparison.Ordinal);
        Assert.StartsWith($"Image file '{truncated}' cannot be decoded", Assert.Throws<InvalidDataException>(() => decoder.Read(truncated)).Message, StringComparison.Ordinal);
        Assert.StartsWith($"Image file '{missing}' cannot be read", Assert.Throws<InvalidDataException>(() => decoder.Read(missing)).Message, StringComparison.Ordinal);
    }
}
