using System;
using System.Collections.Generic;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Tests.Data;
using DeclCnn.Runtime.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Training;

/// <summary>Tiny data and models that train in milliseconds on the CPU.</summary>
internal static class TrainingFixtures
{
    /// <summary>
    /// 8x8 images holding a bright horizontal (class 0) or vertical (class 1) bar at a random position,
    /// on weak noise: easy for a convolution, impossible for a constant guess.
    /// </summary>
    public static ImageDataset Bars(int count, ulong seed)
    {
        Synthetic.EnsureTorch();
        var random = new Random((int)seed);
        var pixels = new byte[count * 64];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % 2);
            int line = random.Next(8);
            for (int p = 0; p < 64; p++)
            {
                bool onBar = labels[i] == 0 ? p / 8 == line : p % 8 == line;
                pixels[i * 64 + p] = (byte)(onBar ? 200 + random.Next(56) : random.Next(40));
            }
        }

        return ImageDataset.FromBytes(pixels, labels, Synthetic.Info(8, 2, new Normalization(0.2f, 0.3f)));
    }

    /// <summary>Plain batches made on the test's thread: the live-tensor count test must not see a prefetching thread's tensors.</summary>
    public static BatchLoader Batches(ImageDataset data, int batchSize, bool shuffle = true, ulong seed = 3) =>
        new(data, new LoaderOptions { BatchSize = batchSize, Shuffle = shuffle, Seed = seed, Prefetch = 0 });

    /// <summary>Options for fast CPU tests.</summary>
    public static FitOptions Options(int epochs = 1) => new() { Epochs = epochs, Seed = 3, Optimizer = new AdamSettings { LearningRate = 1e-2 } };

    /// <summary>Flattened copies of every state-dict entry, by name.</summary>
    public static Dictionary<string, float[]> Weights(nn.Module model)
    {
        var weights = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, value) in model.state_dict())
        {
            if (value.dtype == ScalarType.Float32)
            {
                weights[name] = value.cpu().data<float>().ToArray();
            }
        }

        return weights;
    }
}

/// <summary>A hand-written TorchSharp classifier: conv, ReLU, global max pool, optional dropout, linear.</summary>
internal sealed class TinyCnn : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly Dropout dropout;
    private readonly Linear fc;

    private TinyCnn(double dropoutRate) : base(nameof(TinyCnn))
    {
        conv1 = nn.Conv2d(1, 4, kernel_size: 3, padding: 1);
        dropout = nn.Dropout(dropoutRate);
        fc = nn.Linear(4, 2);
        RegisterComponents();
    }

    public static TinyCnn Create(long seed, double dropout = 0)
    {
        manual_seed(seed);
        return new TinyCnn(dropout);
    }

    public override Tensor forward(Tensor input)
    {
        using var convolved = conv1.forward(input);
        using var features = nn.functional.relu(convolved);
        using var pooled = features.amax([2, 3]);
        using var dropped = dropout.forward(pooled);
        return fc.forward(dropped);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose();
            dropout.Dispose();
            fc.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>Runs an action on chosen events; for tests that need to poke the loop.</summary>
internal sealed class Probe : TrainerCallback
{
    private readonly int order;

    public Probe(int order = Orders.User) => this.order = order;

    public override int Order => order;

    public Action<Trainer>? OnBeforeBatch { get; init; }

    public Action<Trainer>? OnAfterLoss { get; init; }

    public Action<Trainer>? OnAfterBackward { get; init; }

    public Action<Trainer>? OnAfterBatch { get; init; }

    public Action<Trainer>? OnAfterEpoch { get; init; }

    public Action<Trainer>? OnBeforeValidation { get; init; }

    public override void BeforeBatch(Trainer trainer) => OnBeforeBatch?.Invoke(trainer);

    public override void AfterLoss(Trainer trainer) => OnAfterLoss?.Invoke(trainer);

    public override void AfterBackward(Trainer trainer) => OnAfterBackward?.Invoke(trainer);

    public override void AfterBatch(Trainer trainer) => OnAfterBatch?.Invoke(trainer);

    public override void AfterEpoch(Trainer trainer) => OnAfterEpoch?.Invoke(trainer);

    public override void BeforeValidation(Trainer trainer) => OnBeforeValidation?.Invoke(trainer);
}

/// <summary>Records every event it sees as "Name(epoch/batch)".</summary>
internal sealed class Recorder(string name = "", int order = TrainerCallback.Orders.User) : TrainerCallback
{
    public List<string> Events { get; } = [];

    public override int Order => order;

    public override void BeforeFit(Trainer trainer) => Add("BeforeFit");

    public override void AfterFit(Trainer trainer) => Add("AfterFit");

    public override void FitCancelled(Trainer trainer) => Add("FitCancelled");

    public override void BeforeEpoch(Trainer trainer) => Add($"BeforeEpoch{trainer.Epoch}");

    public override void AfterEpoch(Trainer trainer) => Add($"AfterEpoch{trainer.Epoch}");

    public override void EpochCancelled(Trainer trainer) => Add($"EpochCancelled{trainer.Epoch}");

    public override void BeforeBatch(Trainer trainer) => Add($"{(trainer.Batch.IsTraining ? "T" : "V")}{trainer.Batch.Index}:Before");

    public override void AfterLoss(Trainer trainer) => Add($"{(trainer.Batch.IsTraining ? "T" : "V")}{trainer.Batch.Index}:Loss");

    public override void AfterBackward(Trainer trainer) => Add($"T{trainer.Batch.Index}:Backward");

    public override void AfterStep(Trainer trainer) => Add($"T{trainer.Batch.Index}:Step");

    public override void AfterBatch(Trainer trainer) => Add($"{(trainer.Batch.IsTraining ? "T" : "V")}{trainer.Batch.Index}:After");

    public override void BatchCancelled(Trainer trainer) => Add($"{(trainer.Batch.IsTraining ? "T" : "V")}{trainer.Batch.Index}:Cancelled");

    public override void BeforeValidation(Trainer trainer) => Add("BeforeValidation");

    public override void AfterValidation(Trainer trainer) => Add("AfterValidation");

    public override void ValidationCancelled(Trainer trainer) => Add("ValidationCancelled");

    private void Add(string e) => Events.Add(name + e);
}
