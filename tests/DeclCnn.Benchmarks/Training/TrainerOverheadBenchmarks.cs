using System;
using BenchmarkDotNet.Attributes;
using DeclCnn.Benchmarks.Data;
using DeclCnn.Runtime.Native;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Training;
using DeclCnn.Samples;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Benchmarks.Training;

/// <summary>
/// One training epoch of a sample network on synthetic data (Adam, batches of 64), through the <see cref="Trainer"/>
/// (callbacks, metrics, dispose scopes) and through a minimal hand-written TorchSharp loop doing the same forward,
/// loss, backward and step. The ratio of the two means is the trainer's overhead. <see cref="Network"/> picks
/// SimpleCnn on 2,048 Fashion-MNIST-sized images or Cifar10Net on 512 CIFAR-sized ones (its steps cost about
/// 40 times more, so fewer images keep the epoch near the same length). TorchSharp runs on one intra-op thread
/// (see <see cref="Setup"/>).
/// </summary>
[MemoryDiagnoser(displayGenColumns: false)]
public class TrainerOverheadBenchmarks : IDisposable
{
    private const int BatchSize = 64;

    private ImageDataset data = null!;
    private BatchLoader batches = null!;
    private nn.Module<Tensor, Tensor> model = null!;
    private int epoch;

    /// <summary>The sample network trained.</summary>
    [Params("SimpleCnn", "Cifar10Net")]
    public string Network { get; set; } = "SimpleCnn";

    /// <summary>Loads torch and builds the data and the model once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TorchSharpNative.EnsureLoaded();
        // One intra-op thread: on a small shared machine OpenMP teams spinning against other processes make
        // multi-threaded timings swing by far more than the overhead being measured.
        set_num_threads(1);
        bool cifar = Network == "Cifar10Net";
        data = SyntheticData.Create(cifar ? SyntheticData.CifarShape : SyntheticData.FashionMnistShape, cifar ? 512 : 2048);
        // Batches on the benchmark's own thread: a prefetching thread would compete with the one torch thread being timed.
        batches = new BatchLoader(data, new LoaderOptions { BatchSize = BatchSize, Seed = 1, Prefetch = 0 });
        manual_seed(0);
        model = cifar ? new Cifar10Net() : new SimpleCnn();
    }

    /// <summary>Frees the model and the data.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        model?.Dispose();
        data?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The hand-written loop: zero_grad, forward, cross-entropy, backward, step, and the loss read back, per batch.</summary>
    /// <returns>The sum of the batch losses.</returns>
    [Benchmark(Baseline = true)]
    public double HandWrittenLoop()
    {
        using optim.Optimizer optimizer = optim.Adam(model.parameters(), 1e-3);
        model.train();
        double total = 0;
        foreach (Batch batch in batches.Epoch(++epoch))
        {
            using DisposeScope scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor loss = nn.functional.cross_entropy(model.forward(batch.Images), batch.Labels);
            loss.backward();
            optimizer.step();
            total += loss.item<float>();
        }

        return total;
    }

    /// <summary>The same epoch through <see cref="Trainer.Fit()"/> with the default callbacks (metrics included), no validation.</summary>
    /// <returns>The epoch's mean training loss.</returns>
    [Benchmark]
    public double Trainer()
    {
        var options = new FitOptions { Epochs = 1, Seed = (ulong)++epoch };
        using var trainer = new DeclCnn.Runtime.Training.Trainer(model, batches, null, options);
        return trainer.Fit().Last.Train.Loss;
    }
}
