using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace DeclCnn.Runtime.Data;

/// <summary>
/// Reads IDX files (the MNIST and Fashion-MNIST format), gzip-compressed or raw; the compression is
/// recognised from the content, not the file name. Every defect is reported as an
/// <see cref="InvalidDataException"/> whose message starts with the file's path and says what is wrong;
/// nothing is returned unless the whole file is valid.
/// </summary>
public static class IdxReader
{
    /// <summary>Reads an image file (magic 0x00000803: count, rows, columns, then the pixels).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a complete, well-formed IDX image file.</exception>
    public static IdxImages ReadImages(string path)
    {
        ArraySegment<byte> content = ReadContent(path);
        ReadOnlySpan<byte> header = RequireHeader(path, content, IdxFormat.ImagesMagic, IdxFormat.ImagesHeaderLength, "image");
        uint count = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        uint rows = BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
        uint columns = BinaryPrimitives.ReadUInt32BigEndian(header[12..]);
        if (rows == 0 || columns == 0)
        {
            throw Invalid(path, $"declares images of {rows}x{columns} pixels; both sizes must be positive");
        }

        ulong expected = (ulong)count * rows * columns;
        RequireLength(path, content.Count - IdxFormat.ImagesHeaderLength, expected, $"{count} images of {rows}x{columns}");
        return new IdxImages((int)count, (int)rows, (int)columns, content.AsMemory(IdxFormat.ImagesHeaderLength));
    }

    /// <summary>Reads a label file (magic 0x00000801: count, then one byte per label) whose labels must lie in [0, <paramref name="classCount"/>).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a complete, well-formed IDX label file, or a label is out of range.</exception>
    public static ReadOnlyMemory<byte> ReadLabels(string path, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        ArraySegment<byte> content = ReadContent(path);
        ReadOnlySpan<byte> header = RequireHeader(path, content, IdxFormat.LabelsMagic, IdxFormat.LabelsHeaderLength, "label");
        uint count = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        RequireLength(path, content.Count - IdxFormat.LabelsHeaderLength, count, $"{count} labels");
        ReadOnlyMemory<byte> labels = content.AsMemory(IdxFormat.LabelsHeaderLength);
        int bad = labels.Span.IndexOfAnyExceptInRange((byte)0, (byte)(Math.Min(classCount, 256) - 1));
        if (bad >= 0)
        {
            throw Invalid(path, $"label {labels.Span[bad]} at index {bad} is outside 0..{classCount - 1}");
        }

        return labels;
    }

    /// <summary>Returns the whole decompressed content; the array may be longer than the segment.</summary>
    private static ArraySegment<byte> ReadContent(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        bool gzip = file.ReadByte() == 0x1F && file.ReadByte() == 0x8B;
        file.Position = 0;
        using Stream source = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        var buffer = new MemoryStream(gzip ? 0 : (int)Math.Min(file.Length, Array.MaxLength));
        try
        {
            source.CopyTo(buffer);
        }
        catch (InvalidDataException error)
        {
            throw Invalid(path, $"is not a valid gzip stream ({error.Message})", error);
        }

        // The stream's own array, not a copy: the pixels of a training set are tens of megabytes.
        return new ArraySegment<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static ReadOnlySpan<byte> RequireHeader(string path, ArraySegment<byte> content, uint magic, int headerLength, string kind)
    {
        // The magic number is checked first, so that a file of the wrong kind is named as such even when it
        // is shorter than the expected header.
        if (content.Count >= sizeof(uint) && BinaryPrimitives.ReadUInt32BigEndian(content) is var actual && actual != magic)
        {
            throw Invalid(path, $"is not an IDX {kind} file: magic number 0x{actual:X8}, expected 0x{magic:X8}");
        }

        if (content.Count < headerLength)
        {
            throw Invalid(path, $"is truncated: {content.Count} bytes, shorter than the {headerLength}-byte header of an IDX {kind} file");
        }

        return content.AsSpan(0, headerLength);
    }

    private static void RequireLength(string path, long actual, ulong expected, string declared)
    {
        if ((ulong)actual < expected)
        {
            throw Invalid(path, $"is truncated: its header declares {declared} ({expected} bytes) but only {actual} bytes follow the header");
        }

        if ((ulong)actual > expected)
        {
            throw Invalid(path, $"has {(ulong)actual - expected} unexpected bytes after the {declared} its header declares");
        }
    }

    private static InvalidDataException Invalid(string path, string problem, Exception? inner = null) =>
        new($"IDX file '{path}' {problem}.", inner);
}
