using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace DeclCnn.Runtime.Data;

/// <summary>
/// Writes IDX files in the layout <see cref="IdxReader"/> reads, gzip-compressed when the path ends in
/// <c>.gz</c>. Files are written atomically: a reader never sees a partial file under the final name.
/// </summary>
public static class IdxWriter
{
    /// <summary>Writes an image file (magic 0x00000803).</summary>
    public static void WriteImages(string path, IdxImages images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var header = new byte[IdxFormat.ImagesHeaderLength];
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(), IdxFormat.ImagesMagic);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)images.Count);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), (uint)images.Rows);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(12), (uint)images.Columns);
        Write(path, header, images.Pixels);
    }

    /// <summary>Writes a label file (magic 0x00000801), one byte per label.</summary>
    public static void WriteLabels(string path, ReadOnlyMemory<byte> labels)
    {
        var header = new byte[IdxFormat.LabelsHeaderLength];
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(), IdxFormat.LabelsMagic);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)labels.Length);
        Write(path, header, labels);
    }

    private static void Write(string path, byte[] header, ReadOnlyMemory<byte> body)
    {
        bool gzip = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        AtomicFile.Write(path, file =>
        {
            if (!gzip)
            {
                WriteTo(file);
                return;
            }

            // leaveOpen: the atomic writer still flushes the file to disk after the gzip trailer.
            using var compressed = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true);
            WriteTo(compressed);
        });

        void WriteTo(Stream stream)
        {
            stream.Write(header);
            stream.Write(body.Span);
        }
    }
}
