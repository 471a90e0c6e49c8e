using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics.X86;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Data.Augmentation;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Data;

/// <summary>
/// <see cref="BatchTransform.ApplyToBytes"/>, the fused byte pipeline the loader uses: it must give exactly what
/// converting to float / 255 and applying the transforms one by one gives, drawing the same parameters, on the CPU
/// kernel and on the tensor (device) path alike.
/// </summary>
public sealed class ByteAugmentationTests
{
    private const int B = 16, C = 3, H = 7, W = 9;

    private static readonly ChannelStatistics Statistics = new([0.5f, 0.4f, 0.3f], [0.2f, 0.25f, 0.3f]);

    public ByteAugmentationTests() => Synthetic.EnsureTorch();

    public static TheoryData<string> Chains => new(ChainsByName.Keys);

    private static Dictionary<string, Func<BatchTransform[]>> ChainsByName { get; } = new()
    {
        ["cifar zero"] = () => [new RandomCrop(2), new RandomHorizontalFlip(), new Normalize(Statistics), new RandomErasing(0.8)],
        ["cifar reflect"] = () => [new RandomCrop(3, CropPadding.Reflect), new RandomHorizontalFlip(), new Normalize(Statistics), new RandomErasing(0.8, value: 1.5f)],
        ["smaller window, zero"] = () => [new RandomCrop(1, CropPadding.Zero, 5, 4), new RandomHorizontalFlip(0.7)],
        ["larger window, reflect"] = () => [new RandomCrop(1, CropPadding.Reflect, 6, 10), new RandomHorizontalFlip()],
        ["crop without padding"] = () => [new RandomCrop(0, height: 4, width: 6), new Normalize(Statistics)],
        ["two flips"] = () => [new RandomHorizontalFlip(), new RandomHorizontalFlip(0.3), new Normalize(Statistics)],
        ["erasing before and after normalize"] = () => [new RandomCrop(2), new RandomErasing(0.9, value: 0.7f), new Normalize(Statistics), new RandomErasing(0.9, value: -1f)],
        ["erasing only"] = () => [new RandomErasing(1, value: 0.25f)],
        ["normalize only"] = () => [new Normalize(Statistics)],
        ["flip only"] = () => [new RandomHorizontalFlip(1)],
        ["rotation inside"] = () => [new RandomCrop(2), new RandomHorizontalFlip(), new RandomRotation(10), new Normalize(Statistics), new RandomErasing()],
        ["rotation first"] = () => [new RandomRotation(10), new RandomCrop(2), new Normalize(Statistics)],
    };

    [Theory]
    [MemberData(nameof(Chains))]
    public void Bytes_give_exactly_the_float_chain(string name)
    {
        var chain = new Compose(ChainsByName[name]());
        using Tensor bytes = RandomBytes(seed: 1);
        using Tensor pixels = bytes.to_type(ScalarType.Float32).div_(255f);
        var floatRandom = new AugmentationRandom(11);
        var byteRandom = new AugmentationRandom(11);

        using Tensor expected = chain.Apply(pixels, floatRandom);
        using Tensor actual = chain.ApplyToBytes(bytes, byteRandom);

        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(ScalarType.Float32, actual.dtype);
        Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());
        // Both drew exactly as many numbers.
        Assert.Equal(floatRandom.NextDouble(), byteRandom.NextDouble());
    }

    [Theory]
    [MemberData(nameof(Chains))]
    public void The_device_path_gives_exactly_the_float_chain_too(string name) => AssertPrefixIsExact(name, FusedBytePipeline.Path.Tensor);

    [Theory]
    [MemberData(nameof(Chains))]
    public void The_kernel_without_vector_instructions_gives_exactly_the_float_chain_too(string name) => AssertPrefixIsExact(name, FusedBytePipeline.Path.Lookup);

    [Fact]
    public void The_kernel_uses_its_vector_arithmetic_wherever_AVX2_is_there()
    {
        // Otherwise the exact tests above would check the table lookups twice and the vector path never.
        Assert.Equal(Avx2.IsSupported, FusedBytePipeline.Vectorizes(new Normalize(Statistics), C));
        Assert.Equal(Avx2.IsSupported, FusedBytePipeline.Vectorizes(null, 1));
    }

    [Theory]
    [InlineData(CropPadding.Zero)]
    [InlineData(CropPadding.Reflect)]
    public void Cifar_sized_batches_give_exactly_the_float_chain(CropPadding padding)
    {
        // 32 columns: several 8-pixel vectors per row, flipped or not, next to padding or reflected borders.
        var chain = new Compose(new RandomCrop(4, padding), new RandomHorizontalFlip(), new Normalize(Statistics), new RandomErasing());
        using Tensor bytes = RandomBytes(seed: 5, batch: 64, height: 32, width: 32);
        using Tensor pixels = bytes.to_type(ScalarType.Float32).div_(255f);

        using Tensor expected = chain.Apply(pixels, new AugmentationRandom(31));
        using Tensor actual = chain.ApplyToBytes(bytes, new AugmentationRandom(31));

        Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());
    }

    [Fact]
    public void Each_transform_alone_accepts_bytes()
    {
        using Tensor bytes = RandomBytes(seed: 3);
        using Tensor pixels = bytes.to_type(ScalarType.Float32).div_(255f);
        BatchTransform[] transforms = [new RandomCrop(2, CropPadding.Reflect), new RandomHorizontalFlip(), new RandomErasing(1), new Normalize(Statistics), new RandomRotation(5)];
        foreach (BatchTransform transform in transforms)
        {
            using Tensor expected = transform.Apply(pixels, new AugmentationRandom(4));
            using Tensor actual = transform.ApplyToBytes(bytes, new AugmentationRandom(4));
            Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());
        }
    }

    [Fact]
    public void The_fused_chain_matches_the_per_sample_references()
    {
        var crop = new RandomCrop(2, CropPadding.Zero);
        var flip = new RandomHorizontalFlip();
        var erasing = new RandomErasing(probability: 0.8);
        var chain = new Compose(crop, flip, new Normalize(Statistics), erasing);
        using Tensor bytes = RandomBytes(seed: 4);
        float[] all = bytes.data<byte>().ToArray().Select(b => b / 255f).ToArray();

        float[] batched = chain.ApplyToBytes(bytes, new AugmentationRandom(21)).data<float>().ToArray();

        var random = new AugmentationRandom(21);
        CropOffsets offsets = crop.Sample(random, B, H, W);
        IReadOnlyList<bool> flips = flip.Sample(random, B);
        IReadOnlyList<ErasedBox> boxes = erasing.Sample(random, B, H, W);
        int length = C * H * W;
        for (int i = 0; i < B; i++)
        {
            float[] expected = ReferenceAugmentations.Crop(all.AsSpan(i * length, length).ToArray(), C, H, W, 2, CropPadding.Zero, offsets.Top[i], offsets.Left[i], H, W);
            expected = ReferenceAugmentations.Flip(expected, C, H, W, flips[i]);
            expected = ReferenceAugmentations.Normalize(expected, C, H, W, Statistics);
            expected = ReferenceAugmentations.Erase(expected, C, H, W, boxes[i], 0f);
            Assert.Equal(expected, batched.AsSpan(i * length, length).ToArray());
        }
    }

    [Fact]
    public void A_custom_transform_gets_the_bytes_converted_to_the_unit_scale()
    {
        using Tensor bytes = tensor(new byte[] { 0, 51, 255, 102 }, [1, 1, 2, 2]);

        using Tensor result = new Doubling().ApplyToBytes(bytes, new AugmentationRandom(1));

        Assert.Equal([0f, 0.4f, 2f, 0.8f], result.data<float>().ToArray());
    }

    [Fact]
    public void Byte_input_is_checked()
    {
        using Tensor floats = zeros([1, 3, 4, 4]);
        using Tensor flat = zeros([3, 4, 4], ScalarType.Byte);
        using Tensor oneChannel = zeros([2, 1, 4, 4], ScalarType.Byte);
        var chain = new Compose(new RandomCrop(1), new Normalize(Statistics));

        Assert.Throws<ArgumentException>(() => chain.ApplyToBytes(floats, new AugmentationRandom(1)));
        Assert.Throws<ArgumentException>(() => chain.ApplyToBytes(flat, new AugmentationRandom(1)));
        Assert.Throws<ArgumentException>(() => new Normalize(Statistics).ApplyToBytes(oneChannel, new AugmentationRandom(1)));
        Assert.Throws<ArgumentException>(() => new RandomCrop(4, CropPadding.Reflect).ApplyToBytes(oneChannel, new AugmentationRandom(1)));
    }

    private static void AssertPrefixIsExact(string name, FusedBytePipeline.Path path)
    {
        BatchTransform[] transforms = ChainsByName[name]();
        using Tensor bytes = RandomBytes(seed: 2);
        using Tensor pixels = bytes.to_type(ScalarType.Float32).div_(255f);
        var byteRandom = new AugmentationRandom(12);

        using Tensor? fused = FusedBytePipeline.TryApplyPrefix(transforms, bytes, byteRandom, out int consumed, path);

        if (name == "rotation first")
        {
            Assert.Null(fused);
            Assert.Equal(0, consumed);
            return;
        }

        Assert.NotNull(fused);
        using Tensor expected = new Compose(transforms.Take(consumed).ToArray()).Apply(pixels, new AugmentationRandom(12));
        Assert.Equal(expected.data<float>().ToArray(), fused.data<float>().ToArray());
    }

    private static Tensor RandomBytes(int seed, int batch = B, int height = H, int width = W)
    {
        var random = new Random(seed);
        var bytes = new byte[batch * C * height * width];
        random.NextBytes(bytes);
        // Include the extremes, where rounding differences would show first.
        bytes[0] = 0;
        bytes[1] = 255;
        return tensor(bytes, [batch, C, height, width]);
    }

    private sealed class Doubling : BatchTransform
    {
        public override Tensor Apply(Tensor images, AugmentationRandom random) => images.mul(2f);
    }
}
