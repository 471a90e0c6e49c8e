using System;

namespace DeclCnn.Runtime.Data;

/// <summary>The content of an IDX image file: <see cref="Count"/> images of <see cref="Rows"/> x <see cref="Columns"/> bytes, row-major.</summary>
public sealed class IdxImages
{
    /// <summary>Wraps <paramref name="pixels"/>, whose length must be exactly <paramref name="count"/> x <paramref name="rows"/> x <paramref name="columns"/>.</summary>
    /// <exception cref="ArgumentException">The sizes are not positive or do not match the pixel count.</exception>
    public IdxImages(int count, int rows, int columns, ReadOnlyMemory<byte> pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if ((long)count * rows * columns != pixels.Length)
        {
            throw new ArgumentException(
                $"{count} images of {rows}x{columns} need {(long)count * rows * columns} bytes, but {pixels.Length} were given.",
                nameof(pixels));
        }

        Count = count;
        Rows = rows;
        Columns = columns;
        Pixels = pixels;
    }

    /// <summary>The number of images.</summary>
    public int Count { get; }

    /// <summary>The height of every image.</summary>
    public int Rows { get; }

    /// <summary>The width of every image.</summary>
    public int Columns { get; }

    /// <summary>All pixels, image after image, each image row after row.</summary>
    public ReadOnlyMemory<byte> Pixels { get; }
}
