using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Data;

/// <summary>
/// Runs the leading transforms of a chain on a uint8 batch in one pass, with results identical to converting the
/// bytes to float32 / 255 and applying the transforms one by one.
/// </summary>
/// <remarks>
/// <para>The fusable prefix is <c>RandomCrop? RandomHorizontalFlip* RandomErasing* Normalize? RandomErasing*</c>.
/// Parameters are drawn exactly as the transforms' own <c>Apply</c> would draw them: each transform in turn, image
/// after image. Crop and flips compose into one source row per output row and one source column per output column
/// of each image (computed on the host: B x (H + W) integers); normalization of a byte is one of 256 values per
/// channel, computed once per batch with the same float32 operations as <see cref="Normalize"/>; an erased box is a
/// constant per channel.</para>
/// <para>On the CPU a managed kernel writes every output pixel once: a table lookup through the row and column maps,
/// then the boxes. On other devices the bytes are cropped and flipped by one <c>gather</c> with the fused index, then
/// converted, normalized and erased with the transforms' tensor operations.</para>
/// </remarks>
internal static class FusedBytePipeline
{
    /// <summary>Byte tables per <see cref="Normalize"/> (whose statistics fix the channel count): computed once, freed with it.</summary>
    private static readonly ConditionalWeakTable<Normalize, float[]> NormalizedTables = new();

    /// <summary>Byte tables without normalization (byte / 255), per channel count.</summary>
    private static readonly ConcurrentDictionary<int, float[]> UnitTables = new();

    /// <summary>How the fused prefix runs.</summary>
    internal enum Path
    {
        /// <summary>The managed kernel on the CPU, tensor operations elsewhere.</summary>
        Auto,

        /// <summary>Tensor operations everywhere (the device path; tests force it on the CPU).</summary>
        Tensor,
    }

    /// <summary>
    /// Applies the longest fusable prefix of <paramref name="transforms"/> to the uint8 batch <paramref name="bytes"/>,
    /// or returns null (drawing nothing) when the first transform cannot be fused.
    /// </summary>
    /// <param name="transforms">The chain.</param>
    /// <param name="bytes">uint8 (B, C, H, W).</param>
    /// <param name="random">The parameter source.</param>
    /// <param name="consumed">How many transforms of the chain were applied.</param>
    /// <param name="path">Which implementation runs.</param>
    /// <returns>float32 (B, C, H', W'), or null.</returns>
    public static Tensor? TryApplyPrefix(IReadOnlyList<BatchTransform> transforms, Tensor bytes, AugmentationRandom random, out int consumed, Path path = Path.Auto)
    {
        ArgumentNullException.ThrowIfNull(random);
        int k = 0, n = transforms.Count;
        RandomCrop? crop = null;
        if (k < n && transforms[k] is RandomCrop c)
        {
            crop = c;
            k++;
        }

        var flips = new List<RandomHorizontalFlip>();
        while (k < n && transforms[k] is RandomHorizontalFlip f)
        {
            flips.Add(f);
            k++;
        }

        var erasingsBefore = new List<RandomErasing>();
        while (k < n && transforms[k] is RandomErasing e)
        {
            erasingsBefore.Add(e);
            k++;
        }

        Normalize? normalize = null;
        var erasingsAfter = new List<RandomErasing>();
        if (k < n && transforms[k] is Normalize z)
        {
            normalize = z;
            k++;
            while (k < n && transforms[k] is RandomErasing e)
            {
                erasingsAfter.Add(e);
                k++;
            }
        }

        consumed = k;
        if (k == 0)
        {
            return null;
        }

        int batch = (int)bytes.shape[0], channels = (int)bytes.shape[1], height = (int)bytes.shape[2], width = (int)bytes.shape[3];
        if (normalize is not null && normalize.Statistics.Channels != channels)
        {
            throw new ArgumentException($"The batch has {channels} channels but the statistics have {normalize.Statistics.Channels}.", nameof(bytes));
        }

        // Draw every parameter in chain order, as the transforms' own Apply would.
        CropOffsets? offsets = crop?.Sample(random, batch, height, width);
        int outHeight = crop?.Height ?? height, outWidth = crop?.Width ?? width;
        bool[] flipped = new bool[batch];
        foreach (RandomHorizontalFlip flip in flips)
        {
            IReadOnlyList<bool> decisions = flip.Sample(random, batch);
            for (int i = 0; i < batch; i++)
            {
                flipped[i] ^= decisions[i];
            }
        }

        var boxesBefore = erasingsBefore.Select(e => e.Sample(random, batch, outHeight, outWidth)).ToArray();
        var boxesAfter = erasingsAfter.Select(e => e.Sample(random, batch, outHeight, outWidth)).ToArray();

        (int[] rows, int[] columns) = Maps(crop, offsets, flipped, batch, height, width, outHeight, outWidth);
        if (path == Path.Auto && bytes.device_type == DeviceType.CPU)
        {
            return Kernel(bytes, rows, columns, outHeight, outWidth, normalize, erasingsBefore, boxesBefore, erasingsAfter, boxesAfter);
        }

        using DisposeScope scope = NewDisposeScope();
        Tensor images = Gather(bytes, crop, rows, columns, outHeight, outWidth).to_type(ScalarType.Float32).div_(255f);
        for (int i = 0; i < erasingsBefore.Count; i++)
        {
            images = erasingsBefore[i].Apply(images, boxesBefore[i]);
        }

        if (normalize is not null)
        {
            images = normalize.Apply(images);
        }

        for (int i = 0; i < erasingsAfter.Count; i++)
        {
            images = erasingsAfter[i].Apply(images, boxesAfter[i]);
        }

        return images.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// For each image, the source row of each output row and the source column of each output column. With zero
    /// padding they may fall outside the image (those pixels are padding); with reflect padding they are reflected in.
    /// </summary>
    private static (int[] Rows, int[] Columns) Maps(RandomCrop? crop, CropOffsets? offsets, bool[] flipped, int batch, int height, int width, int outHeight, int outWidth)
    {
        var rows = new int[batch * outHeight];
        var columns = new int[batch * outWidth];
        int padding = crop?.Padding ?? 0;
        bool reflect = crop is not null && crop.Mode == CropPadding.Reflect;
        for (int b = 0; b < batch; b++)
        {
            int top = offsets is null ? 0 : offsets.Top[b] - padding;
            int left = offsets is null ? 0 : offsets.Left[b] - padding;
            for (int y = 0; y < outHeight; y++)
            {
                int row = top + y;
                rows[(b * outHeight) + y] = reflect ? Reflect(row, height) : row;
            }

            for (int x = 0; x < outWidth; x++)
            {
                // A flip after the crop reads the crop's columns right to left.
                int column = left + (flipped[b] ? outWidth - 1 - x : x);
                columns[(b * outWidth) + x] = reflect ? Reflect(column, width) : column;
            }
        }

        return (rows, columns);
    }

    private static int Reflect(int index, int size) => index < 0 ? -index : index >= size ? (2 * (size - 1)) - index : index;

    /// <summary>Crops and flips the bytes with one gather over (B, C, H x W) (zero padding: over the padded bytes).</summary>
    private static Tensor Gather(Tensor bytes, RandomCrop? crop, int[] rows, int[] columns, int outHeight, int outWidth)
    {
        long batch = bytes.shape[0], channels = bytes.shape[1];
        Tensor source = bytes;
        int shift = 0;
        if (crop is not null && crop.Mode == CropPadding.Zero && crop.Padding > 0)
        {
            shift = crop.Padding;
            source = nn.functional.pad(bytes, [shift, shift, shift, shift]);
        }

        long sourceWidth = source.shape[3], planeSize = source.shape[2] * sourceWidth;
        Device device = bytes.device;
        Tensor rowIndex = tensor(rows.Select(r => (long)(r + shift) * sourceWidth).ToArray(), device: device).view(batch, outHeight, 1);
        Tensor columnIndex = tensor(columns.Select(c => (long)(c + shift)).ToArray(), device: device).view(batch, 1, outWidth);
        Tensor index = rowIndex.add(columnIndex).view(batch, 1, outHeight * outWidth).expand(batch, channels, outHeight * outWidth);
        return source.reshape(batch, channels, planeSize).gather(2, index).view(batch, channels, outHeight, outWidth);
    }

    /// <summary>The CPU kernel: every output pixel is written once from a per-channel table of the 256 byte values, then the boxes.</summary>
    private static unsafe Tensor Kernel(
        Tensor bytes, int[] rows, int[] columns, int outHeight, int outWidth, Normalize? normalize,
        List<RandomErasing> erasingsBefore, IReadOnlyList<ErasedBox>[] boxesBefore, List<RandomErasing> erasingsAfter, IReadOnlyList<ErasedBox>[] boxesAfter)
    {
        int batch = (int)bytes.shape[0], channels = (int)bytes.shape[1], height = (int)bytes.shape[2], width = (int)bytes.shape[3];
        float[] table = ByteTable(normalize, channels);
        float[] fills = erasingsBefore.Count == 0 ? [] : Table(normalize, channels, erasingsBefore.Select(e => e.Value).ToArray());
        using Tensor contiguous = bytes.contiguous();
        Tensor output = empty([batch, channels, outHeight, outWidth], ScalarType.Float32);
        int plane = height * width, outPlane = outHeight * outWidth;
        fixed (byte* source = contiguous.bytes)
        fixed (byte* targetBytes = output.bytes)
        fixed (float* tables = table)
        fixed (int* rowMaps = rows)
        fixed (int* columnMaps = columns)
        {
            float* target = (float*)targetBytes;
            for (int b = 0; b < batch; b++)
            {
                int* columnMap = columnMaps + ((long)b * outWidth);
                // The output columns whose source column is inside the image form one run [first, end) (zero padding
                // maps columns monotonically; reflect padding keeps them all inside); the rest are padding.
                (int first, int end) = InsideRun(columnMap, outWidth, width);
                for (int c = 0; c < channels; c++)
                {
                    byte* image = source + ((((long)b * channels) + c) * plane);
                    float* values = tables + (c * 256);
                    float padding = values[0];
                    float* result = target + ((((long)b * channels) + c) * outPlane);
                    for (int y = 0; y < outHeight; y++)
                    {
                        int row = rowMaps[((long)b * outHeight) + y];
                        float* line = result + ((long)y * outWidth);
                        if ((uint)row >= (uint)height)
                        {
                            new Span<float>(line, outWidth).Fill(padding);
                            continue;
                        }

                        byte* pixels = image + ((long)row * width);
                        for (int x = 0; x < first; x++)
                        {
                            line[x] = padding;
                        }

                        for (int x = first; x < end; x++)
                        {
                            line[x] = values[pixels[columnMap[x]]];
                        }

                        for (int x = end; x < outWidth; x++)
                        {
                            line[x] = padding;
                        }
                    }
                }
            }

            var span = new Span<float>(target, batch * channels * outPlane);
            for (int i = 0; i < erasingsBefore.Count; i++)
            {
                int column = i;
                Erase(span, boxesBefore[i], channels, outHeight, outWidth, c => fills[(c * (fills.Length / channels)) + 256 + column]);
            }

            for (int i = 0; i < erasingsAfter.Count; i++)
            {
                float value = erasingsAfter[i].Value;
                Erase(span, boxesAfter[i], channels, outHeight, outWidth, _ => value);
            }
        }

        return output;
    }

    /// <summary>The run of <paramref name="map"/> entries inside [0, <paramref name="size"/>), which must be contiguous.</summary>
    private static unsafe (int First, int End) InsideRun(int* map, int length, int size)
    {
        int first = 0, end = length;
        while (first < length && (uint)map[first] >= (uint)size)
        {
            first++;
        }

        while (end > first && (uint)map[end - 1] >= (uint)size)
        {
            end--;
        }

        for (int x = first; x < end; x++)
        {
            if ((uint)map[x] >= (uint)size)
            {
                throw new InvalidOperationException("The fused column map has padding inside the image.");
            }
        }

        return (first, end);
    }

    /// <summary>The byte table of <see cref="Table"/> without extra values, cached per <see cref="Normalize"/> and channel count.</summary>
    private static float[] ByteTable(Normalize? normalize, int channels)
    {
        return normalize is null
            ? UnitTables.GetOrAdd(channels, c => Table(null, c, []))
            : NormalizedTables.GetValue(normalize, n => Table(n, channels, []));
    }

    /// <summary>
    /// Per channel, what each byte value 0..255 and then each of <paramref name="extra"/> (values on the [0, 1] scale)
    /// become after the fused prefix's <see cref="Normalize"/>, if any. Computed with the very tensor operations of the
    /// unfused path (byte / 255, then <see cref="Normalize.Apply(Tensor)"/>), so every rounding is the same.
    /// </summary>
    private static float[] Table(Normalize? normalize, int channels, float[] extra)
    {
        using DisposeScope scope = NewDisposeScope();
        Tensor values = cat([arange(256, ScalarType.Float32).div_(255f), tensor(extra)], 0);
        long count = values.shape[0];
        Tensor perChannel = values.view(1, 1, 1, count).expand(1, channels, 1, count).contiguous();
        if (normalize is not null)
        {
            perChannel = normalize.Apply(perChannel);
        }

        return perChannel.data<float>().ToArray();
    }

    private static void Erase(Span<float> target, IReadOnlyList<ErasedBox> boxes, int channels, int height, int width, Func<int, float> value)
    {
        for (int b = 0; b < boxes.Count; b++)
        {
            ErasedBox box = boxes[b];
            if (box.IsEmpty)
            {
                continue;
            }

            for (int c = 0; c < channels; c++)
            {
                float fill = value(c);
                Span<float> image = target.Slice(((b * channels) + c) * height * width, height * width);
                for (int y = box.Top; y < box.Top + box.Height; y++)
                {
                    image.Slice((y * width) + box.Left, box.Width).Fill(fill);
                }
            }
        }
    }
}
