using System;
using System.Buffers.Binary;
using System.IO;

namespace DeclCnn.Runtime.Data;

/// <summary>
/// Reads IDX files (the MNIST and Fashion-MNIST format), gzip-compressed or raw; the compression is
/// recognised from the content, not the file name. Every defect is reported as an
/// <see cref="InvalidDataException"/> whose message starts with the file's path and says what is wrong;
/// nothing is returned unless the whole file is valid.
/// </summary>
/// <remarks>
/// The header is read and checked first: its sizes are multiplied in overflow-checked 64-bit arithmetic, and data of
/// more than <see cref="Array.MaxLength"/> bytes (the largest .NET array, about 2 GB) is refused before anything is
/// allocated. A raw file's length must then match the header exactly; a gzip file must decompress to exactly that many
/// bytes, and every gzip member must end with a matching CRC-32 and length, with nothing after the last one.
/// </remarks>
public static class IdxReader
{
    // Whatever follows the declared data is an error; this much of it is counted for the message.
    private const int ExtraBytesCounted = 1 << 20;

    /// <summary>Reads an image file (magic 0x00000803: count, rows, columns, then the pixels).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a complete, well-formed IDX image file, is a directory, or declares more than <see cref="Array.MaxLength"/> bytes.</exception>
    public static IdxImages ReadImages(string path)
    {
        using Stream content = Open(path, out long? rawLength);
        var header = new byte[IdxFormat.ImagesHeaderLength];
        ReadHeader(path, content, header, IdxFormat.ImagesMagic, "image");
        uint count = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
        uint rows = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8));
        uint columns = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(12));
        if (rows == 0 || columns == 0)
        {
            throw Invalid(path, $"declares images of {rows}x{columns} pixels; both sizes must be positive");
        }

        string declared = $"{count} images of {rows}x{columns}";
        int length = DataLength(path, declared, rawLength - header.Length, count, rows, columns);
        byte[] pixels = ReadData(path, content, length, declared);
        return new IdxImages((int)count, (int)rows, (int)columns, pixels);
    }

    /// <summary>Reads a label file (magic 0x00000801: count, then one byte per label) whose labels must lie in [0, <paramref name="classCount"/>).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a complete, well-formed IDX label file, is a directory, declares more than <see cref="Array.MaxLength"/> labels, or a label is out of range.</exception>
    public static ReadOnlyMemory<byte> ReadLabels(string path, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        using Stream content = Open(path, out long? rawLength);
        var header = new byte[IdxFormat.LabelsHeaderLength];
        ReadHeader(path, content, header, IdxFormat.LabelsMagic, "label");
        uint count = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
        string declared = $"{count} labels";
        int length = DataLength(path, declared, rawLength - header.Length, count);
        byte[] labels = ReadData(path, content, length, declared);
        int bad = labels.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)(Math.Min(classCount, 256) - 1));
        if (bad >= 0)
        {
            throw Invalid(path, $"label {labels[bad]} at index {bad} is outside 0..{classCount - 1}");
        }

        return labels;
    }

    /// <summary>Opens the file's content, decompressed when it is gzip; <paramref name="rawLength"/> is the file's length when it is not.</summary>
    private static Stream Open(string path, out long? rawLength)
    {
        if (Directory.Exists(path))
        {
            throw Invalid(path, "is a directory, not a file");
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        bool gzip = file.ReadByte() == 0x1F && file.ReadByte() == 0x8B;
        file.Position = 0;
        rawLength = gzip ? null : file.Length;
        return gzip ? new CheckedGzipStream(file) : file;
    }

    private static void ReadHeader(string path, Stream content, byte[] header, uint magic, string kind)
    {
        int read = Reading(path, () => content.ReadAtLeast(header, header.Length, throwOnEndOfStream: false));

        // The magic number is checked first, so that a file of the wrong kind is named as such even when it
        // is shorter than the expected header.
        if (read >= sizeof(uint) && BinaryPrimitives.ReadUInt32BigEndian(header) is var actual && actual != magic)
        {
            throw Invalid(path, $"is not an IDX {kind} file: magic number 0x{actual:X8}, expected 0x{magic:X8}");
        }

        if (read < header.Length)
        {
            throw Invalid(path, $"is truncated: {read} bytes, shorter than the {header.Length}-byte header of an IDX {kind} file");
        }
    }

    /// <summary>
    /// The number of data bytes the header declares (the product of <paramref name="sizes"/>), checked for overflow,
    /// against the size limit and, for a raw file, against the <paramref name="available"/> bytes after the header.
    /// </summary>
    private static int DataLength(string path, string declared, long? available, params ReadOnlySpan<uint> sizes)
    {
        ulong length = 1;
        try
        {
            foreach (uint size in sizes)
            {
                length = checked(length * size);
            }
        }
        catch (OverflowException)
        {
            throw Invalid(path, $"declares {declared}: its byte count does not fit in a 64-bit number, so the header is damaged");
        }

        if (length > (ulong)Array.MaxLength)
        {
            throw Invalid(path, $"declares {declared} ({length} bytes), more than the {Array.MaxLength} bytes one IDX file may hold");
        }

        if (available is long actual)
        {
            RequireLength(path, actual, (long)length, declared);
        }

        return (int)length;
    }

    /// <summary>Reads exactly <paramref name="length"/> bytes, then requires the end of the content.</summary>
    private static byte[] ReadData(string path, Stream content, int length, string declared)
    {
        var data = new byte[length];
        int read = Reading(path, () => content.ReadAtLeast(data, length, throwOnEndOfStream: false));
        // Reading on to the end also makes a gzip stream check its last trailer.
        var rest = new byte[1 << 16];
        long more = 0;
        int chunk;
        while ((chunk = Reading(path, () => content.Read(rest))) > 0)
        {
            more += chunk;
            if (more > ExtraBytesCounted)
            {
                throw Invalid(path, $"has more than {ExtraBytesCounted} unexpected bytes after the {declared} its header declares");
            }
        }

        RequireLength(path, read + more, length, declared);
        return data;
    }

    private static void RequireLength(string path, long actual, long expected, string declared)
    {
        if (actual < expected)
        {
            throw Invalid(path, $"is truncated: its header declares {declared} ({expected} bytes) but only {actual} bytes follow the header");
        }

        if (actual > expected)
        {
            throw Invalid(path, $"has {actual - expected} unexpected bytes after the {declared} its header declares");
        }
    }

    /// <summary>Runs a read of the content, turning the gzip decoder's errors into one that names the file.</summary>
    private static T Reading<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException error)
        {
            throw Invalid(path, $"is not a valid gzip stream ({error.Message})", error);
        }
    }

    private static InvalidDataException Invalid(string path, string problem, Exception? inner = null) =>
        new($"IDX file '{path}' {problem}.", inner);
}
