using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace DeclCnn.Runtime.Interchange;

/// <summary>What a weight file looks like from its first bytes, for messages that name the format a file really has.</summary>
/// <param name="Format">The format, when it is one <see cref="ModuleWeights"/> reads.</param>
/// <param name="Description">The format in words, as in "'model.bin' is {Description}".</param>
/// <param name="Advice">What to do with such a file, when there is something to say.</param>
internal readonly record struct DetectedFormat(WeightFormat? Format, string Description, string? Advice)
{
    private const int HeadLength = 4096;

    // The reference implementation refuses headers over 100 MB.
    private const ulong MaxSafetensorsHeader = 100_000_000;

    /// <summary>Reads the start of <paramref name="path"/> and recognizes its format by content, not by name.</summary>
    public static DetectedFormat Of(string path)
    {
        using var stream = File.OpenRead(path);
        byte[] head = new byte[(int)Math.Min(HeadLength, stream.Length)];
        stream.ReadExactly(head);
        return Of(head, stream.Length);
    }

    /// <summary>Describes <paramref name="format"/> as <see cref="Of(string)"/> would.</summary>
    public static string Describe(WeightFormat format) => format switch
    {
        WeightFormat.PyTorch => "a PyTorch .pth file (a zip archive, as torch.save writes)",
        WeightFormat.Safetensors => "a safetensors file",
        WeightFormat.TorchSharp => "a file in TorchSharp's format (Module.save)",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    private static DetectedFormat Known(WeightFormat format) =>
        new(format, Describe(format), $"read it with {nameof(WeightFormat)}.{format}");

    private static DetectedFormat Of(ReadOnlySpan<byte> head, long length)
    {
        if (length == 0)
        {
            return new(null, "empty", null);
        }

        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            return Known(WeightFormat.PyTorch);
        }

        // Safetensors first: a header length such as 640 (0x280) opens with the same two bytes as a pickle.
        if (IsSafetensors(head))
        {
            return Known(WeightFormat.Safetensors);
        }

        // Every pickle opens with PROTO (0x80) and a protocol number; torch.save wrote bare pickles before 1.6.
        if (head.Length >= 2 && head[0] == 0x80 && head[1] is >= 2 and <= 5)
        {
            return new(null, "a bare Python pickle (a .pth written by torch.save before PyTorch 1.6, or with "
                + "_use_new_zipfile_serialization=False)", "that format is not supported: re-save it with a current torch.save");
        }

        if (IsTorchSharp(head))
        {
            return Known(WeightFormat.TorchSharp);
        }

        return new(null, $"in no format this library reads (it starts with {Convert.ToHexString(head[..Math.Min(8, head.Length)])})", null);
    }

    // An 8-byte little-endian header length, then the JSON header's opening brace. The length is not compared with
    // the file's: a truncated file is still recognized, and reported as truncated by the reader.
    private static bool IsSafetensors(ReadOnlySpan<byte> head) =>
        head.Length > 8
        && BinaryPrimitives.ReadUInt64LittleEndian(head) is >= 2 and <= MaxSafetensorsHeader
        && head[8] == (byte)'{';

    // Module.save writes the entry count and then, per entry, the key as a length-prefixed UTF-8 string; both
    // lengths are 7-bit encoded integers.
    private static bool IsTorchSharp(ReadOnlySpan<byte> head)
    {
        int position = 0;
        if (!TryRead7BitInt(head, ref position, out int count) || count < 1
            || !TryRead7BitInt(head, ref position, out int keyLength) || keyLength < 1
            || position + keyLength > head.Length)
        {
            return false;
        }

        try
        {
            string key = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(head.Slice(position, keyLength));
            return !key.AsSpan().ContainsAnyInRange('\0', '\u001f');
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool TryRead7BitInt(ReadOnlySpan<byte> bytes, ref int position, out int value)
    {
        value = 0;
        for (int shift = 0; shift < 32 && position < bytes.Length; shift += 7)
        {
            byte b = bytes[position++];
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value >= 0;
            }
        }

        return false;
    }
}
