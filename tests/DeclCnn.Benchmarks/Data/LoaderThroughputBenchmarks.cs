using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using DeclCnn.Runtime.Native;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Data.Augmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Benchmarks.Data;

/// <summary>
/// Images per second through crop + flip + normalize + erasing on the CPU: the batched <see cref="BatchLoader"/>
/// against a per-sample baseline that applies the same transforms one image at a time with tensor operations and
/// stacks the results (what a per-sample pipeline with a collate step does). Times are per image.
/// </summary>
/// <remarks>
/// The baseline is meant to be a fair, efficient per-sample pipeline: it crops and flips the image's bytes (views and
/// a small copy), converts once and normalizes in place, and fills the erased box through a view: per image, the same
/// function of the drawn parameters as the batched chain (its draws interleave per image, so a seed gives other images).
/// </remarks>
public class LoaderThroughputBenchmarks
{
    private const int ImageCount = 2048;
    private const int BatchSize = 128;

    private ImageDataset dataset = null!;
    private BatchLoader loader = null!;
    private BatchLoader prefetching = null!;
    private Compose transform = null!;
    private int epoch;

    /// <summary>The image shape: Fashion-MNIST's or CIFAR's.</summary>
    [Params(SyntheticData.FashionMnistShape, SyntheticData.CifarShape)]
    public string Shape { get; set; } = SyntheticData.FashionMnistShape;

    /// <summary>Builds the dataset and loaders.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TorchSharpNative.EnsureLoaded();
        // One intra-op thread: on a small shared machine, OpenMP teams spinning against other processes make
        // multi-threaded timings swing by orders of magnitude; per-core figures compare fairly.
        set_num_threads(1);
        dataset = SyntheticData.Create(Shape, ImageCount);
        transform = SyntheticData.TrainingTransform(dataset);
        loader = new BatchLoader(dataset, new LoaderOptions { BatchSize = BatchSize, Seed = 1, Transform = transform, Prefetch = 0 });
        prefetching = new BatchLoader(dataset, new LoaderOptions { BatchSize = BatchSize, Seed = 1, Transform = transform, Prefetch = 1 });
    }

    /// <summary>Frees the dataset.</summary>
    [GlobalCleanup]
    public void Cleanup() => dataset.Dispose();

    /// <summary>The same transforms, one image at a time, then stacked into batches.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = ImageCount)]
    public long PerSample()
    {
        var crop = (RandomCrop)transform.Transforms[0];
        var flip = (RandomHorizontalFlip)transform.Transforms[1];
        var normalize = (Normalize)transform.Transforms[2];
        var erasing = (RandomErasing)transform.Transforms[3];
        int height = dataset.Info.Height, width = dataset.Info.Width, channels = dataset.Info.Channels;
        var random = new AugmentationRandom((ulong)epoch++);
        long[] order = loader.Order(epoch);
        long seen = 0;
        using Tensor mean = tensor(normalize.Statistics.Mean.ToArray(), [channels, 1, 1]);
        using Tensor scale = tensor(normalize.Statistics.Std.Select(s => 1f / s).ToArray(), [channels, 1, 1]);
        for (int start = 0; start < order.Length; start += BatchSize)
        {
            using DisposeScope scope = NewDisposeScope();
            var images = new List<Tensor>(BatchSize);
            var labels = new List<Tensor>(BatchSize);
            for (int i = start; i < start + BatchSize && i < order.Length; i++)
            {
                CropOffsets offsets = crop.Sample(random, 1, height, width);
                bool flipped = flip.Sample(random, 1)[0];
                ErasedBox box = erasing.Sample(random, 1, height, width)[0];
                // Crop and flip on the bytes (views and small copies), then one conversion and normalization in place.
                Tensor image = dataset.Images[order[i]];
                if (crop.Padding > 0)
                {
                    image = nn.functional.pad(image, [crop.Padding, crop.Padding, crop.Padding, crop.Padding], crop.Mode == CropPadding.Reflect ? PaddingModes.Reflect : PaddingModes.Constant);
                }

                image = image.narrow(1, offsets.Top[0], height).narrow(2, offsets.Left[0], width);
                if (flipped)
                {
                    image = image.flip(2);
                }

                image = image.to_type(ScalarType.Float32).div_(255f).sub_(mean).mul_(scale);
                if (!box.IsEmpty)
                {
                    image.narrow(1, box.Top, box.Height).narrow(2, box.Left, box.Width).fill_(erasing.Value);
                }

                images.Add(image);
                labels.Add(dataset.Labels[order[i]]);
            }

            Tensor batch = stack(images);
            Tensor batchLabels = stack(labels);
            seen += batch.shape[0] + batchLabels.shape[0];
        }

        return seen;
    }

    /// <summary>The loader, batches prepared on the consumer's thread (pure transform throughput).</summary>
    [Benchmark(OperationsPerInvoke = ImageCount)]
    public long Batched() => Consume(loader);

    /// <summary>The loader with its background prefetch (what a trainer uses).</summary>
    [Benchmark(OperationsPerInvoke = ImageCount)]
    public long BatchedPrefetch() => Consume(prefetching);

    private long Consume(BatchLoader source)
    {
        long seen = 0;
        foreach (Batch batch in source.Epoch(epoch++))
        {
            seen += batch.Count;
        }

        return seen;
    }
}
