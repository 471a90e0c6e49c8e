using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace DeclCnn.Runtime.Tests.Inference;

/// <summary>Encoded test images: SkiaSharp's PNG encoder, and hand-written PNGs for what it does not write.</summary>
internal static class TestImages
{
    /// <summary>A <paramref name="width"/> x <paramref name="height"/> RGBA image, each pixel from <paramref name="colour"/>.</summary>
    public static SKBitmap Bitmap(int width, int height, Func<int, int, SKColor> colour)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        // Written byte by byte: SetPixel goes through premultiplied colour and loses the colour of transparent pixels.
        Span<byte> pixels = bitmap.GetPixelSpan();
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                SKColor c = colour(x, y);
                int i = (y * bitmap.RowBytes) + (x * 4);
                (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]) = (c.Red, c.Green, c.Blue, c.Alpha);
            }
        }

        return bitmap;
    }

    /// <summary>The PNG encoding of <paramref name="bitmap"/>.</summary>
    public static byte[] Png(SKBitmap bitmap)
    {
        using SKData data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A PNG of one colour.</summary>
    public static byte[] Png(int width, int height, SKColor colour)
    {
        using SKBitmap bitmap = Bitmap(width, height, (_, _) => colour);
        return Png(bitmap);
    }

    /// <summary>An 8-bit RGBA PNG of one colour, written by hand: encoders may drop the colour of transparent pixels.</summary>
    public static byte[] RgbaPng(int width, int height, SKColor colour)
    {
        byte[] raw = new byte[height * (1 + (4 * width))];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = (y * (1 + (4 * width))) + 1 + (4 * x);
                (raw[i], raw[i + 1], raw[i + 2], raw[i + 3]) = (colour.Red, colour.Green, colour.Blue, colour.Alpha);
            }
        }

        return WritePng(width, height, bitDepth: 8, colourType: 6, Compress(raw));
    }

    /// <summary>A 16-bit greyscale PNG whose every sample is <paramref name="value"/>.</summary>
    public static byte[] Grey16Png(int width, int height, ushort value)
    {
        byte[] raw = new byte[height * (1 + (2 * width))];
        for (int y = 0; y < height; y++)
        {
            int row = y * (1 + (2 * width));
            raw[row] = 0;   // filter: none
            for (int x = 0; x < width; x++)
            {
                BinaryPrimitives.WriteUInt16BigEndian(raw.AsSpan(row + 1 + (2 * x)), value);
            }
        }

        return WritePng(width, height, bitDepth: 16, colourType: 0, Compress(raw));
    }

    /// <summary>A PNG whose header declares <paramref name="width"/> x <paramref name="height"/> but whose data is one empty row.</summary>
    public static byte[] HugeDeclaredPng(int width, int height) => WritePng(width, height, bitDepth: 8, colourType: 0, Compress([0]));

    private static byte[] Compress(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        return output.ToArray();
    }

    private static byte[] WritePng(int width, int height, byte bitDepth, byte colourType, byte[] compressed)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a]);
        byte[] header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = bitDepth;
        header[9] = colourType;
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        png.Write(number);
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xffffffff;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xedb88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
