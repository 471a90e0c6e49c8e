using System;
using System.Collections.Generic;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Data.Augmentation;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Data;

public sealed class AugmentationTests
{
    private const int B = 16, C = 3, H = 7, W = 9;

    public AugmentationTests() => Synthetic.EnsureTorch();

    [Theory]
    [InlineData(CropPadding.Zero, 2, null, null)]
    [InlineData(CropPadding.Reflect, 3, null, null)]
    [InlineData(CropPadding.Zero, 0, 5, 4)]
    [InlineData(CropPadding.Reflect, 1, 6, 10)]
    public void Crop_matches_the_per_sample_reference_exactly(CropPadding mode, int padding, int? height, int? width)
    {
        var crop = new RandomCrop(padding, mode, height, width);
        float[][] images = RandomImages(seed: 1);
        CropOffsets offsets = crop.Sample(new AugmentationRandom(5), B, H, W);
        int ch = height ?? H, cw = width ?? W;

        float[][] batched = Split(crop.Apply(Batch(images), offsets), ch, cw);

        for (int i = 0; i < B; i++)
        {
            Assert.Equal(ReferenceAugmentations.Crop(images[i], C, H, W, padding, mode, offsets.Top[i], offsets.Left[i], ch, cw), batched[i]);
        }
    }

    [Fact]
    public void Crop_offsets_cover_every_position_about_uniformly()
    {
        var crop = new RandomCrop(2);
        const int n = 25_000;

        CropOffsets offsets = crop.Sample(new AugmentationRandom(9), n, 8, 8);

        // Five positions (0..4) each way; each should get a fifth of the draws, within 5 standard deviations.
        double sigma = Math.Sqrt(n * 0.2 * 0.8);
        foreach (IReadOnlyList<int> axis in new[] { offsets.Top, offsets.Left })
        {
            Assert.Equal([0, 1, 2, 3, 4], axis.Distinct().Order());
            Assert.All(axis.GroupBy(v => v), g => Assert.InRange(g.Count(), (n * 0.2) - (5 * sigma), (n * 0.2) + (5 * sigma)));
        }
    }

    [Fact]
    public void Flip_matches_the_per_sample_reference_exactly()
    {
        float[][] images = RandomImages(seed: 2);
        IReadOnlyList<bool> flips = new RandomHorizontalFlip().Sample(new AugmentationRandom(3), B);

        float[][] batched = Split(RandomHorizontalFlip.Apply(Batch(images), flips), H, W);

        Assert.Contains(true, flips);
        Assert.Contains(false, flips);
        for (int i = 0; i < B; i++)
        {
            Assert.Equal(ReferenceAugmentations.Flip(images[i], C, H, W, flips[i]), batched[i]);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(1.0)]
    public void Flip_probability_holds_statistically(double probability)
    {
        const int n = 20_000;

        int flipped = new RandomHorizontalFlip(probability).Sample(new AugmentationRandom(11), n).Count(f => f);

        double sigma = Math.Sqrt(n * probability * (1 - probability));
        Assert.InRange(flipped, (n * probability) - (5 * sigma), (n * probability) + (5 * sigma));
    }

    [Fact]
    public void Erasing_matches_the_per_sample_reference_exactly()
    {
        var erasing = new RandomErasing(probability: 0.7, value: 0.5f);
        float[][] images = RandomImages(seed: 4);
        IReadOnlyList<ErasedBox> boxes = erasing.Sample(new AugmentationRandom(6), B, H, W);

        float[][] batched = Split(erasing.Apply(Batch(images), boxes), H, W);

        Assert.Contains(boxes, b => b.IsEmpty);
        Assert.Contains(boxes, b => !b.IsEmpty);
        for (int i = 0; i < B; i++)
        {
            Assert.Equal(ReferenceAugmentations.Erase(images[i], C, H, W, boxes[i], 0.5f), batched[i]);
        }
    }

    [Fact]
    public void Erased_boxes_follow_probability_scale_and_ratio()
    {
        var erasing = new RandomErasing(probability: 0.5, minScale: 0.05, maxScale: 0.2, minRatio: 0.5, maxRatio: 2);
        const int n = 20_000, side = 64;

        IReadOnlyList<ErasedBox> boxes = erasing.Sample(new AugmentationRandom(12), n, side, side);
        ErasedBox[] erased = boxes.Where(b => !b.IsEmpty).ToArray();

        double sigma = Math.Sqrt(n * 0.25);
        Assert.InRange(erased.Length, (n * 0.5) - (5 * sigma), (n * 0.5) + (5 * sigma));
        // Sizes are rounded to whole pixels, so area and ratio may exceed their ranges by that rounding.
        Assert.All(erased, b =>
        {
            Assert.InRange(b.Top + b.Height, 1, side);
            Assert.InRange(b.Left + b.Width, 1, side);
            Assert.InRange((double)b.Height * b.Width / (side * side), 0.05 * 0.8, 0.2 * 1.2);
            Assert.InRange((double)b.Height / b.Width, 0.5 * 0.85, 2 / 0.85);
        });
        double meanArea = erased.Average(b => (double)b.Height * b.Width / (side * side));
        Assert.InRange(meanArea, 0.125 - 0.01, 0.125 + 0.01);
        double meanLogRatio = erased.Average(b => Math.Log((double)b.Height / b.Width));
        Assert.InRange(meanLogRatio, -0.03, 0.03);
        Assert.InRange(erased.Average(b => b.Top + (b.Height / 2.0)), (side / 2.0) - 1, (side / 2.0) + 1);
    }

    [Fact]
    public void Erasing_gives_up_when_no_box_fits()
    {
        var erasing = new RandomErasing(probability: 1, minScale: 0.9, maxScale: 1, minRatio: 1, maxRatio: 1);

        IReadOnlyList<ErasedBox> boxes = erasing.Sample(new AugmentationRandom(1), 50, 4, 4);

        Assert.All(boxes, b => Assert.True(b.IsEmpty));
    }

    [Fact]
    public void Normalize_matches_the_per_sample_reference_exactly()
    {
        var statistics = new ChannelStatistics([0.49f, 0.48f, 0.45f], [0.25f, 0.24f, 0.26f]);
        float[][] images = RandomImages(seed: 5);

        float[][] batched = Split(new Normalize(statistics).Apply(Batch(images)), H, W);

        for (int i = 0; i < B; i++)
        {
            Assert.Equal(ReferenceAugmentations.Normalize(images[i], C, H, W, statistics), batched[i]);
        }

        Assert.Throws<ArgumentException>(() => new Normalize(new ChannelStatistics([0.5f], [0.5f])).Apply(Batch(images)));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.75f)]
    public void Rotation_matches_the_per_sample_reference(float fill)
    {
        var rotation = new RandomRotation(30, fill);
        float[][] images = RandomImages(seed: 6);
        IReadOnlyList<double> angles = rotation.Sample(new AugmentationRandom(7), B);

        float[][] batched = Split(rotation.Apply(Batch(images), angles), H, W);

        Assert.All(angles, a => Assert.InRange(a, -30, 30));
        for (int i = 0; i < B; i++)
        {
            Assert.Equal(ReferenceAugmentations.Rotate(images[i], C, H, W, angles[i], fill), batched[i], (a, b) => Math.Abs(a - b) < 1e-4);
        }
    }

    [Fact]
    public void Rotation_by_zero_is_the_identity_and_by_90_degrees_turns_counter_clockwise()
    {
        float[] pixels = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        using Tensor image = tensor(pixels, [1, 1, 4, 4]);
        var rotation = new RandomRotation(90);

        float[] same = rotation.Apply(image, [0.0]).data<float>().ToArray();
        float[] turned = rotation.Apply(image, [90.0]).data<float>().ToArray();

        Assert.Equal(pixels, same, (a, b) => Math.Abs(a - b) < 1e-4);
        // Counter-clockwise: the top row (0 1 2 3) becomes the left column, read bottom to top.
        float[] expected = Enumerable.Range(0, 16).Select(i => pixels[((i % 4) * 4) + (3 - (i / 4))]).ToArray();
        Assert.Equal(expected, turned, (a, b) => Math.Abs(a - b) < 1e-4);
    }

    [Fact]
    public void Rotation_angles_are_uniform_in_the_range()
    {
        const int n = 20_000;

        IReadOnlyList<double> angles = new RandomRotation(15).Sample(new AugmentationRandom(13), n);

        Assert.All(angles, a => Assert.InRange(a, -15, 15));
        Assert.InRange(angles.Average(), -0.3, 0.3);
        Assert.InRange(angles.Count(a => a > 7.5) / (double)n, 0.23, 0.27);
    }

    [Fact]
    public void Composition_draws_in_order_and_matches_the_references_exactly()
    {
        var statistics = new ChannelStatistics([0.5f, 0.4f, 0.3f], [0.2f, 0.25f, 0.3f]);
        var crop = new RandomCrop(2, CropPadding.Reflect);
        var flip = new RandomHorizontalFlip();
        var erasing = new RandomErasing(probability: 0.8);
        var chain = new Compose(crop, flip, new Normalize(statistics), erasing);
        float[][] images = RandomImages(seed: 8);

        float[][] batched = Split(chain.Apply(Batch(images), new AugmentationRandom(21)), H, W);

        // The same seed replays the same draws: crop offsets, then flips, then boxes.
        var random = new AugmentationRandom(21);
        CropOffsets offsets = crop.Sample(random, B, H, W);
        IReadOnlyList<bool> flips = flip.Sample(random, B);
        IReadOnlyList<ErasedBox> boxes = erasing.Sample(random, B, H, W);
        for (int i = 0; i < B; i++)
        {
            float[] expected = ReferenceAugmentations.Crop(images[i], C, H, W, 2, CropPadding.Reflect, offsets.Top[i], offsets.Left[i], H, W);
            expected = ReferenceAugmentations.Flip(expected, C, H, W, flips[i]);
            expected = ReferenceAugmentations.Normalize(expected, C, H, W, statistics);
            expected = ReferenceAugmentations.Erase(expected, C, H, W, boxes[i], 0f);
            Assert.Equal(expected, batched[i]);
        }
    }

    [Fact]
    public void The_same_seed_gives_identical_batches_and_another_seed_different_ones()
    {
        var chain = new Compose(new RandomCrop(2), new RandomHorizontalFlip(), new RandomRotation(10), new RandomErasing());
        using Tensor images = Batch(RandomImages(seed: 9));

        float[] first = chain.Apply(images, new AugmentationRandom(1)).data<float>().ToArray();
        float[] again = chain.Apply(images, new AugmentationRandom(1)).data<float>().ToArray();
        float[] other = chain.Apply(images, new AugmentationRandom(2)).data<float>().ToArray();

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Transforms_leave_their_input_untouched()
    {
        using Tensor images = Batch(RandomImages(seed: 10));
        float[] before = images.data<float>().ToArray();
        var chain = new Compose(new RandomCrop(1), new RandomHorizontalFlip(1), new RandomRotation(5), new RandomErasing(1), new Normalize(new ChannelStatistics([0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f])));

        using Tensor output = chain.Apply(images, new AugmentationRandom(3));

        Assert.Equal(before, images.data<float>().ToArray());
        Assert.NotEqual(before, output.data<float>().ToArray());
    }

    [Fact]
    public void Invalid_settings_and_inputs_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomCrop(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomCrop(1, height: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomHorizontalFlip(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomRotation(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomErasing(minScale: 0.5, maxScale: 0.2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomErasing(minRatio: 0));
        using Tensor bytes = zeros([1, 1, 4, 4], ScalarType.Byte);
        Assert.Throws<ArgumentException>(() => new RandomHorizontalFlip().Apply(bytes, new AugmentationRandom(1)));
        using Tensor small = zeros([1, 1, 4, 4]);
        Assert.Throws<ArgumentException>(() => new RandomCrop(4, CropPadding.Reflect).Apply(small, new AugmentationRandom(1)));
        Assert.Throws<ArgumentException>(() => new RandomCrop(0, height: 5).Apply(small, new AugmentationRandom(1)));
        Assert.Throws<ArgumentException>(() => new RandomCrop(1).Apply(small, new CropOffsets([3], [0])));
        Assert.Throws<ArgumentException>(() => RandomHorizontalFlip.Apply(small, [true, false]));
    }

    private static float[][] RandomImages(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, B).Select(_ => Enumerable.Range(0, C * H * W).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
    }

    private static Tensor Batch(float[][] images) => tensor(images.SelectMany(i => i).ToArray(), [images.Length, C, H, W]);

    private static float[][] Split(Tensor batch, int height, int width)
    {
        Assert.Equal([(long)B, C, height, width], batch.shape);
        float[] all = batch.data<float>().ToArray();
        int length = C * height * width;
        return Enumerable.Range(0, B).Select(i => all.AsSpan(i * length, length).ToArray()).ToArray();
    }
}
