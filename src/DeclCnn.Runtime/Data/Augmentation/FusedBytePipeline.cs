using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Data.Augmentation;

/// <summary>
/// Runs the leading transforms of a chain on a uint8 batch in one pass, with results identical to converting the
/// bytes to float32 / 255 and applying the transforms one by one.
/// </summary>
/// <remarks>
/// <para>The fusable prefix is <c>RandomCrop? RandomHorizontalFlip* RandomErasing* Normalize? RandomErasing*</c>.
/// Parameters are drawn exactly as the transforms' own <c>Apply</c> would draw them: each transform in turn, image
/// after image. Crop and flips compose into one source row per output row and one source column per output column
/// of each image (computed on the host: B x (H + W) integers); normalization of a byte is one of 256 values per
/// channel, computed once per <see cref="Normalize"/> with the same float32 operations as it; an erased box is a
/// constant per channel.</para>
/// <para>On the CPU a managed kernel writes every output pixel once, then the boxes. Where an output row reads
/// consecutive source pixels (everything but padding and reflected borders) it converts 8 bytes at a time with AVX2,
/// in arithmetic checked once per table to reproduce all 256 table values bit for bit; elsewhere it looks the values
/// up through the row and column maps. On other devices the bytes are cropped and flipped by one <c>gather</c> with
/// the fused index, then converted, normalized and erased with the transforms' tensor operations.</para>
/// </remarks>
internal static class FusedBytePipeline
{
    /// <summary>Byte tables per <see cref="Normalize"/> (whose statistics fix the channel count): computed once, freed with it.</summary>
    private static readonly ConditionalWeakTable<Normalize, ByteValues> NormalizedTables = new();

    /// <summary>Byte tables without normalization (byte / 255), per channel count.</summary>
    private static readonly ConcurrentDictionary<int, ByteValues> UnitTables = new();

    /// <summary>How the fused prefix runs.</summary>
    internal enum Path
    {
        /// <summary>The managed kernel on the CPU (vectorized where it can be), tensor operations elsewhere.</summary>
        Auto,

        /// <summary>Tensor operations everywhere (the device path; tests force it on the CPU).</summary>
        Tensor,

        /// <summary>The managed kernel with table lookups only (what runs without AVX2; tests force it).</summary>
        Lookup,
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

        CropMaps maps = Maps(crop, offsets, flipped, batch, height, width, outHeight, outWidth);
        if (path != Path.Tensor && bytes.device_type == DeviceType.CPU)
        {
            bool vectorize = path == Path.Auto && Avx2.IsSupported;
            return Kernel(bytes, maps, outHeight, outWidth, normalize, vectorize, erasingsBefore, boxesBefore, erasingsAfter, boxesAfter);
        }

        using DisposeScope scope = NewDisposeScope();
        Tensor images = Gather(bytes, crop, maps.Rows, maps.Columns, outHeight, outWidth).to_type(ScalarType.Float32).div_(255f);
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
    /// Also, per image, the output columns that read the image directly (neither padding nor reflected): their source
    /// columns are consecutive, left to right, or right to left when the image is flipped.
    /// </summary>
    private static CropMaps Maps(RandomCrop? crop, CropOffsets? offsets, bool[] flipped, int batch, int height, int width, int outHeight, int outWidth)
    {
        var rows = new int[batch * outHeight];
        var columns = new int[batch * outWidth];
        var direct = new ColumnRun[batch];
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

            int start = outWidth, end = outWidth;
            for (int x = 0; x < outWidth; x++)
            {
                // A flip after the crop reads the crop's columns right to left.
                int column = left + (flipped[b] ? outWidth - 1 - x : x);
                columns[(b * outWidth) + x] = reflect ? Reflect(column, width) : column;
                if ((uint)column < (uint)width)
                {
                    // The columns inside the image form one stretch: the unpadded column moves by one per output column.
                    start = Math.Min(start, x);
                    end = x + 1;
                }
            }

            direct[b] = new ColumnRun(start, end, flipped[b] ? -1 : 1);
        }

        return new CropMaps(rows, columns, direct);
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

    /// <summary>
    /// The CPU kernel: every output pixel is written once from a per-channel table of the 256 byte values (or, over each
    /// row's direct stretch, the equivalent arithmetic when <paramref name="vectorize"/> and it was verified), then the boxes.
    /// </summary>
    private static unsafe Tensor Kernel(
        Tensor bytes, CropMaps maps, int outHeight, int outWidth, Normalize? normalize, bool vectorize,
        List<RandomErasing> erasingsBefore, IReadOnlyList<ErasedBox>[] boxesBefore, List<RandomErasing> erasingsAfter, IReadOnlyList<ErasedBox>[] boxesAfter)
    {
        int batch = (int)bytes.shape[0], channels = (int)bytes.shape[1], height = (int)bytes.shape[2], width = (int)bytes.shape[3];
        ByteValues byteValues = ByteTable(normalize, channels);
        vectorize &= byteValues.Vectorizable;
        float[] fills = erasingsBefore.Count == 0 ? [] : Table(normalize, channels, erasingsBefore.Select(e => e.Value).ToArray());
        using Tensor contiguous = bytes.contiguous();
        Tensor output = empty([batch, channels, outHeight, outWidth], ScalarType.Float32);
        int plane = height * width, outPlane = outHeight * outWidth;
        fixed (byte* source = contiguous.bytes)
        fixed (byte* targetBytes = output.bytes)
        fixed (float* tables = byteValues.Table)
        fixed (int* rowMaps = maps.Rows)
        fixed (int* columnMaps = maps.Columns)
        {
            float* target = (float*)targetBytes;
            for (int b = 0; b < batch; b++)
            {
                int* columnMap = columnMaps + ((long)b * outWidth);
                ColumnRun direct = maps.Direct[b];
                for (int c = 0; c < channels; c++)
                {
                    byte* image = source + ((((long)b * channels) + c) * plane);
                    float* values = tables + (c * 256);
                    float padding = values[0];
                    var mean = Vector256.Create(byteValues.Mean[c]);
                    var scale = Vector256.Create(byteValues.Scale[c]);
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
                        for (int x = 0; x < direct.Start; x++)
                        {
                            line[x] = (uint)columnMap[x] < (uint)width ? values[pixels[columnMap[x]]] : padding;
                        }

                        if (direct.Start < direct.End)
                        {
                            Convert(pixels + columnMap[direct.Start], direct.Step, line + direct.Start, direct.End - direct.Start, values, vectorize, mean, scale);
                        }

                        for (int x = direct.End; x < outWidth; x++)
                        {
                            line[x] = (uint)columnMap[x] < (uint)width ? values[pixels[columnMap[x]]] : padding;
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

    /// <summary>
    /// Writes the values of <paramref name="count"/> consecutive source bytes (<paramref name="step"/> 1: left to right,
    /// -1: right to left from <paramref name="source"/>): with <paramref name="vectorize"/> and at least 8 of them, 8 at a
    /// time as (byte / 255 - mean) * scale, otherwise from the channel's table <paramref name="values"/>.
    /// </summary>
    private static unsafe void Convert(byte* source, int step, float* target, int count, float* values, bool vectorize, Vector256<float> mean, Vector256<float> scale)
    {
        int x = 0;
        if (vectorize && count >= 8)
        {
            Vector256<float> byteScale = Vector256.Create(255f);
            Vector256<int> reverse = Vector256.Create(7, 6, 5, 4, 3, 2, 1, 0);
            for (; x < count; x += 8)
            {
                // The last 8 may overlap the 8 before, rewriting a few values with the same ones: no scalar tail.
                int at = Math.Min(x, count - 8);
                Vector256<int> integers = step > 0
                    ? Avx2.ConvertToVector256Int32(source + at)
                    : Avx2.PermuteVar8x32(Avx2.ConvertToVector256Int32(source - at - 7), reverse);
                // The very operations the table was computed with: byte / 255, minus the mean, times 1 / std.
                Vector256<float> unit = Avx.Divide(Avx.ConvertToVector256Single(integers), byteScale);
                Avx.Store(target + at, Avx.Multiply(Avx.Subtract(unit, mean), scale));
            }
        }

        for (; x < count; x++)
        {
            target[x] = values[source[x * step]];
        }
    }

    /// <summary>Whether the CPU kernel converts bytes with vector arithmetic for <paramref name="normalize"/> (tests check that it does with AVX2).</summary>
    internal static bool Vectorizes(Normalize? normalize, int channels) => ByteTable(normalize, channels).Vectorizable;

    /// <summary>The byte table of <see cref="Table"/> without extra values, cached per <see cref="Normalize"/> and channel count.</summary>
    private static ByteValues ByteTable(Normalize? normalize, int channels)
    {
        return normalize is null
            ? UnitTables.GetOrAdd(channels, c => ByteValues.Create(Table(null, c, []), new float[c], Enumerable.Repeat(1f, c).ToArray()))
            : NormalizedTables.GetValue(normalize, n => ByteValues.Create(Table(n, channels, []), n.Statistics.Mean.ToArray(), n.Statistics.Std.Select(s => 1f / s).ToArray()));
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

    /// <summary>The output columns [<see cref="Start"/>, <see cref="End"/>) of an image that read consecutive source columns, in the direction <see cref="Step"/>.</summary>
    private readonly record struct ColumnRun(int Start, int End, int Step);

    /// <summary>What <see cref="Maps"/> computes: B x H' source rows, B x W' source columns, and each image's direct stretch.</summary>
    private sealed record CropMaps(int[] Rows, int[] Columns, ColumnRun[] Direct);

    /// <summary>
    /// A byte table with the mean and scale it was computed with, and whether <see cref="Convert"/>'s vector arithmetic
    /// reproduces every one of its values bit for bit (checked on all 256 bytes of every channel, so it holds for any input).
    /// </summary>
    private sealed class ByteValues
    {
        private ByteValues(float[] table, float[] mean, float[] scale, bool vectorizable)
        {
            Table = table;
            Mean = mean;
            Scale = scale;
            Vectorizable = vectorizable;
        }

        public float[] Table { get; }

        public float[] Mean { get; }

        public float[] Scale { get; }

        public bool Vectorizable { get; }

        public static unsafe ByteValues Create(float[] table, float[] mean, float[] scale)
        {
            if (!Avx2.IsSupported)
            {
                return new ByteValues(table, mean, scale, vectorizable: false);
            }

            byte[] all = Enumerable.Range(0, 256).Select(v => (byte)v).ToArray();
            var computed = new float[256];
            bool equal = true;
            fixed (byte* source = all)
            fixed (float* target = computed)
            fixed (float* values = table)
            {
                for (int c = 0; c < mean.Length && equal; c++)
                {
                    Convert(source, 1, target, 256, values + (c * 256), vectorize: true, Vector256.Create(mean[c]), Vector256.Create(scale[c]));
                    for (int v = 0; v < 256 && equal; v++)
                    {
                        equal = BitConverter.SingleToInt32Bits(computed[v]) == BitConverter.SingleToInt32Bits(table[(c * 256) + v]);
                    }
                }
            }

            return new ByteValues(table, mean, scale, equal);
        }
    }
}
