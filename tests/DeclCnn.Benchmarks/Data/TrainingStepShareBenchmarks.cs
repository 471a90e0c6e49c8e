using BenchmarkDotNet.Attributes;
using DeclCnn.Runtime.Native;
using DeclCnn.Runtime.Data;
using DeclCnn.Samples;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeclCnn.Benchmarks.Data;

/// <summary>
/// The loader's share of a training step on the CPU: one augmented batch of 64 (crop + flip + normalize + erasing)
/// against one optimizer step (forward, cross-entropy, backward, Adam) of the SimpleCnn and Cifar10Net samples on
/// such a batch. Share = LoaderBatch / (LoaderBatch + TrainStep).
/// </summary>
public class TrainingStepShareBenchmarks
{
    private const int BatchSize = 64;
    private const int BatchesPerEpoch = 8;

    private ImageDataset dataset = null!;
    private BatchLoader loader = null!;
    private nn.Module<Tensor, Tensor> model = null!;
    private Adam optimizer = null!;
    private Tensor images = null!;
    private Tensor labels = null!;
    private int epoch;

    /// <summary>The sample network, with data of its input shape.</summary>
    [Params("SimpleCnn", "Cifar10Net")]
    public string Model { get; set; } = "SimpleCnn";

    /// <summary>Builds data, model, optimizer and one fixed batch.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TorchSharpNative.EnsureLoaded();
        // One intra-op thread: on a small shared machine, OpenMP teams spinning against other processes make
        // multi-threaded timings swing by orders of magnitude; per-core figures compare fairly.
        set_num_threads(1);
        manual_seed(1);
        bool cifar = Model == "Cifar10Net";
        dataset = SyntheticData.Create(cifar ? SyntheticData.CifarShape : SyntheticData.FashionMnistShape, BatchSize * BatchesPerEpoch);
        loader = new BatchLoader(dataset, new LoaderOptions { BatchSize = BatchSize, Seed = 1, Transform = SyntheticData.TrainingTransform(dataset), Prefetch = 0 });
        model = cifar ? new Cifar10Net() : new SimpleCnn();
        model.train();
        optimizer = optim.Adam(model.parameters());
        foreach (Batch batch in loader.Epoch(0))
        {
            images = batch.Images.clone().DetachFromDisposeScope();
            labels = batch.Labels.clone().DetachFromDisposeScope();
            break;
        }
    }

    /// <summary>Frees everything.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        images.Dispose();
        labels.Dispose();
        optimizer.Dispose();
        model.Dispose();
        dataset.Dispose();
    }

    /// <summary>One augmented batch from the loader (an epoch of 8, timed per batch).</summary>
    [Benchmark(OperationsPerInvoke = BatchesPerEpoch)]
    public long LoaderBatch()
    {
        long seen = 0;
        foreach (Batch batch in loader.Epoch(epoch++))
        {
            seen += batch.Count;
        }

        return seen;
    }

    /// <summary>One training step on a ready batch.</summary>
    [Benchmark(Baseline = true)]
    public float TrainStep()
    {
        using DisposeScope scope = NewDisposeScope();
        optimizer.zero_grad();
        Tensor loss = nn.functional.cross_entropy(model.forward(images), labels);
        loss.backward();
        optimizer.step();
        return loss.item<float>();
    }
}
