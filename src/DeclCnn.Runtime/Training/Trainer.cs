using System;
using System.Collections.Generic;
using System.Diagnostics;
using DeclCnn.Runtime.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Training;

/// <summary>
/// A minimal supervised trainer for image classifiers: Adam, cross-entropy, and test accuracy after
/// every epoch. Each step runs inside its own dispose scope, so memory stays flat over an epoch.
/// </summary>
public static class Trainer
{
    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/> and evaluates it on <paramref name="test"/>
    /// after every epoch, writing one line per epoch to <paramref name="log"/>. The model is left on the
    /// training device, in evaluation mode.
    /// </summary>
    public static FitResult Fit(
        nn.Module<Tensor, Tensor> model,
        ImageDataset train,
        ImageDataset test,
        FitOptions? options = null,
        Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new FitOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Epochs, nameof(options));
        manual_seed(options.Seed);
        Device device = options.Device ?? CPU;
        model.to(device);
        using Adam optimizer = optim.Adam(model.parameters(), options.LearningRate);
        var trainBatches = new BatchIterator(train, new BatchOptions { BatchSize = options.BatchSize, Seed = (ulong)options.Seed, Device = device });
        var testBatches = new BatchIterator(test, new BatchOptions { BatchSize = options.BatchSize, Shuffle = false, Device = device });

        var history = new List<EpochResult>();
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            EpochResult result = RunEpoch(model, optimizer, trainBatches, testBatches, epoch);
            log?.Invoke(result.ToString());
            history.Add(result);
        }

        return new FitResult(history);
    }

    /// <summary>The fraction of <paramref name="batches"/>' images <paramref name="model"/> classifies correctly (evaluation mode, no gradients).</summary>
    public static double Evaluate(nn.Module<Tensor, Tensor> model, IBatchSource batches)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batches);
        model.eval();
        using IDisposable noGrad = no_grad();
        long correct = 0;
        long seen = 0;
        foreach (Batch batch in batches.Epoch(0))
        {
            using DisposeScope scope = NewDisposeScope();
            correct += model.forward(batch.Images).argmax(1).eq(batch.Labels).sum().item<long>();
            seen += batch.Count;
        }

        return seen == 0 ? 0 : (double)correct / seen;
    }

    private static EpochResult RunEpoch(
        nn.Module<Tensor, Tensor> model,
        optim.Optimizer optimizer,
        BatchIterator trainBatches,
        BatchIterator testBatches,
        int epoch)
    {
        var clock = Stopwatch.StartNew();
        model.train();
        double lossSum = 0;
        long seen = 0;
        foreach (Batch batch in trainBatches.Epoch(epoch))
        {
            lossSum += Step(model, optimizer, batch) * batch.Count;
            seen += batch.Count;
        }

        TimeSpan trainTime = clock.Elapsed;
        double accuracy = Evaluate(model, testBatches);
        return new EpochResult(epoch, seen == 0 ? 0 : lossSum / seen, accuracy, seen / trainTime.TotalSeconds, clock.Elapsed);
    }

    /// <summary>One optimisation step; returns the batch's mean loss.</summary>
    private static double Step(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, Batch batch)
    {
        using DisposeScope scope = NewDisposeScope();
        optimizer.zero_grad();
        Tensor loss = nn.functional.cross_entropy(model.forward(batch.Images), batch.Labels);
        loss.backward();
        optimizer.step();
        return loss.item<float>();
    }
}
