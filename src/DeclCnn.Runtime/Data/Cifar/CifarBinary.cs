using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DeclCnn.Runtime.Data.Cifar;

/// <summary>One label byte of a CIFAR record: what it is called in messages and how many classes it has.</summary>
/// <param name="Name">E.g. "label", "coarse label".</param>
/// <param name="ClassCount">Valid values are 0 .. ClassCount - 1.</param>
internal readonly record struct CifarLabelField(string Name, int ClassCount);

/// <summary>
/// Reads the binary version of CIFAR-10 and CIFAR-100 (Krizhevsky, 2009): fixed-length records of the label
/// byte(s) followed by 3072 pixel bytes, the 1024 red, then 1024 green, then 1024 blue values of a 32x32
/// image, each row-major. That is already the (C, H, W) layout of one image tensor.
/// </summary>
internal static class CifarBinary
{
    /// <summary>Channels, height and width of a CIFAR image.</summary>
    public const int Channels = 3, Side = 32;

    /// <summary>Pixel bytes per record.</summary>
    public const int ImageBytes = Channels * Side * Side;

    /// <summary>
    /// Reads and checks every file of <paramref name="paths"/> before returning anything: each must exist, be a
    /// non-empty whole number of records, and hold only labels in range. Returns the pixels of all records, file
    /// after file, and the label field number <paramref name="selected"/> of each.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is a directory, has the wrong length or a label out of range.</exception>
    public static (byte[] Pixels, byte[] Labels) Read(string dataset, IReadOnlyList<string> paths, IReadOnlyList<CifarLabelField> fields, int selected)
    {
        int recordLength = fields.Count + ImageBytes;
        List<byte[]> contents = ReadChecked(dataset, paths, fields);
        long records = contents.Sum(c => (long)c.Length / recordLength);
        if (records * ImageBytes > Array.MaxLength)
        {
            throw new InvalidDataException($"{dataset} files {string.Join(", ", paths.Select(p => $"'{p}'"))} hold {records} images, more than one array can hold.");
        }

        var pixels = new byte[records * ImageBytes];
        var labels = new byte[records];
        long record = 0;
        foreach (byte[] content in contents)
        {
            for (int offset = 0; offset < content.Length; offset += recordLength, record++)
            {
                labels[record] = content[offset + selected];
                content.AsSpan(offset + fields.Count, ImageBytes).CopyTo(pixels.AsSpan((int)(record * ImageBytes)));
            }
        }

        return (pixels, labels);
    }

    /// <summary>Checks every file of <paramref name="paths"/> as <see cref="Read"/> does, keeping nothing.</summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is a directory, has the wrong length or a label out of range.</exception>
    public static void Validate(string dataset, IReadOnlyList<string> paths, IReadOnlyList<CifarLabelField> fields) => ReadChecked(dataset, paths, fields);

    /// <summary>
    /// Reads a class-name file (one name per line, as <c>batches.meta.txt</c>), or returns null when it does not
    /// exist. Blank lines are ignored; there must be exactly <paramref name="expected"/> names.
    /// </summary>
    /// <exception cref="InvalidDataException">The file names a different number of classes, or is a directory.</exception>
    public static IReadOnlyList<string>? ReadClassNames(string dataset, string path, int expected)
    {
        if (Directory.Exists(path))
        {
            throw IsDirectory(dataset, path);
        }

        if (!File.Exists(path))
        {
            return null;
        }

        string[] names = File.ReadAllLines(path).Select(line => line.Trim()).Where(line => line.Length > 0).ToArray();
        if (names.Length != expected)
        {
            throw new InvalidDataException($"{dataset} file '{path}' names {names.Length} classes; expected {expected}, one per line.");
        }

        return names;
    }

    private static List<byte[]> ReadChecked(string dataset, IReadOnlyList<string> paths, IReadOnlyList<CifarLabelField> fields)
    {
        foreach (string path in paths)
        {
            if (Directory.Exists(path))
            {
                throw IsDirectory(dataset, path);
            }

            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{dataset} file '{path}' does not exist.", path);
            }
        }

        var contents = new List<byte[]>(paths.Count);
        foreach (string path in paths)
        {
            byte[] content = File.ReadAllBytes(path);
            Check(dataset, path, content, fields.Count + ImageBytes, fields);
            contents.Add(content);
        }

        return contents;
    }

    private static InvalidDataException IsDirectory(string dataset, string path) => new($"{dataset} file '{path}' is a directory, not a file.");

    private static void Check(string dataset, string path, byte[] content, int recordLength, IReadOnlyList<CifarLabelField> fields)
    {
        string layout = fields.Count == 1
            ? $"1 label byte + {ImageBytes} pixel bytes"
            : $"{fields.Count} label bytes ({string.Join(", ", fields.Select(f => f.Name))}) + {ImageBytes} pixel bytes";
        if (content.Length == 0)
        {
            throw new InvalidDataException($"{dataset} file '{path}' is empty; expected {recordLength}-byte records ({layout}).");
        }

        if (content.Length % recordLength != 0)
        {
            throw new InvalidDataException(
                $"{dataset} file '{path}' has {content.Length} bytes, not a whole number of {recordLength}-byte records ({layout}): "
                + $"{content.Length / recordLength} records and {content.Length % recordLength} bytes more. It is truncated, or not a {dataset} binary file.");
        }

        for (int offset = 0, record = 0; offset < content.Length; offset += recordLength, record++)
        {
            for (int field = 0; field < fields.Count; field++)
            {
                byte label = content[offset + field];
                if (label >= fields[field].ClassCount)
                {
                    throw new InvalidDataException(
                        $"{dataset} file '{path}': record {record} (byte offset {offset + field}) has {fields[field].Name} {label}, outside 0..{fields[field].ClassCount - 1}.");
                }
            }
        }
    }
}
