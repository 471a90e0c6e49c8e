// Classifies images with a trained Fashion-MNIST network (docs/inference.md):
//   dotnet run --project samples/DeclCnn.Samples.Predict -c Release -- export --checkpoint runs/main/best.ckpt --model runs/main/model.safetensors
//   dotnet run --project samples/DeclCnn.Samples.Predict -c Release -- samples --output test-images [--count 20]
//   dotnet run --project samples/DeclCnn.Samples.Predict -c Release -- predict --model runs/main/model.safetensors [--top 3] [--batch 64] PATH...
// export   turns the main job's checkpoint into a model file (weights, class names, training statistics, provenance)
// samples  writes the first test images of Fashion-MNIST as PNG files named <index>-<true class>.png
// predict  classifies image files and folders (every file in a folder; the ones that are not images are listed as failures)
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Inference;
using DeclCnn.Runtime.Interchange;
using DeclCnn.Runtime.Training;
using DeclCnn.Samples;
using SkiaSharp;
using static TorchSharp.torch;

if (args.Length == 0 || !Options.TryParse(args[1..], out Options options))
{
    Console.Error.WriteLine("usage: DeclCnn.Samples.Predict export --checkpoint FILE --model FILE");
    Console.Error.WriteLine("       DeclCnn.Samples.Predict samples --output DIR [--count N]");
    Console.Error.WriteLine("       DeclCnn.Samples.Predict predict --model FILE [--top K] [--batch N] PATH...");
    return 2;
}

try
{
    switch (args[0])
    {
        case "export" when options.Has("--checkpoint", "--model"):
            Export(options.Value("--checkpoint"), options.Value("--model"));
            return 0;
        case "samples" when options.Has("--output"):
            WriteSamples(options.Value("--output"), options.Int("--count", 20));
            return 0;
        case "predict" when options.Has("--model") && options.Paths.Count > 0:
            return Predict(options.Value("--model"), options.Paths, options.Int("--top", 3), options.Int("--batch", 64));
        default:
            Console.Error.WriteLine($"'{args[0]}' is not a command, or it lacks an option; run without arguments for the usage.");
            return 2;
    }
}
catch (Exception e) when (e is IOException or WeightFileException or ArgumentException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

// The trainer's checkpoint holds the weights and the run's history; the class names and statistics come from the
// training set, as the trainer used them.
static void Export(string checkpoint, string modelFile)
{
    CheckpointState state = Checkpoint.ReadState(checkpoint);
    using nn.Module<Tensor, Tensor> model = Networks.Create(state.ModelType);
    Checkpoint.LoadWeights(checkpoint, model);
    using TrainTestSplit data = FashionMnist.Load(progress: Console.WriteLine);
    EpochRecord? last = state.History.Count > 0 ? state.History[^1] : null;
    ModelInfo info = ModelInfo.For(data.Train.Info) with
    {
        Provenance = new ModelProvenance
        {
            Dataset = data.Train.Info.Name,
            Epochs = state.Epoch,
            Metric = last?.Validation is null ? null : "val_top1",
            MetricValue = last?.Validation?.Top1,
        },
    };
    ModelFile.Save(model, modelFile, info);
    Console.WriteLine($"{modelFile}: {state.ModelType}, {info.ClassNames.Count} classes, statistics {info.Normalization}, "
        + $"{state.Epoch} epoch(s){(info.Provenance.MetricValue is { } top1 ? $", val_top1 {top1:P2}" : "")}");
}

static void WriteSamples(string folder, int count)
{
    using TrainTestSplit data = FashionMnist.Load(progress: Console.WriteLine);
    Directory.CreateDirectory(folder);
    using Tensor images = data.Test.Images.narrow(0, 0, count).contiguous();
    byte[] pixels = images.data<byte>().ToArray();
    long[] labels = data.Test.Labels.narrow(0, 0, count).data<long>().ToArray();
    for (int i = 0; i < count; i++)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque));
        pixels.AsSpan(i * 784, 784).CopyTo(bitmap.GetPixelSpan());
        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        string name = data.Test.Info.ClassNames[(int)labels[i]].Replace('/', '-');
        File.WriteAllBytes(Path.Combine(folder, $"{i:00}-{name}.png"), png.ToArray());
    }

    Console.WriteLine($"Wrote {count} test images to {folder}");
}

static int Predict(string modelFile, IReadOnlyList<string> paths, int top, int batchSize)
{
    ModelFileHeader header = ModelFile.ReadHeader(modelFile);
    var options = new ClassifierOptions { Top = Math.Min(top, header.Info.ClassNames.Count), BatchSize = batchSize };
    using Classifier classifier = Classifier.Load(Networks.Create(header.ModelType), modelFile, options);
    Console.WriteLine($"{header.ModelType} from {modelFile} on {classifier.EngineName}; trained on {header.Info.Provenance?.Dataset ?? "unknown data"}");
    string[] files = paths.SelectMany(static path => Directory.Exists(path)
        ? Directory.GetFiles(path).Order(StringComparer.Ordinal)
        : Enumerable.Repeat(path, 1)).ToArray();
    var failures = new List<FilePrediction>();
    foreach (FilePrediction result in classifier.PredictFiles(files, static p => Console.Error.WriteLine($"[{p.Done}/{p.Total}, {p.Failed} failed]")))
    {
        if (result.Succeeded)
        {
            Console.WriteLine($"{Path.GetFileName(result.Path)}: {result.Prediction}");
        }
        else
        {
            failures.Add(result);
        }
    }

    foreach (FilePrediction failure in failures)
    {
        Console.WriteLine($"failed: {failure.Error}");
    }

    return failures.Count == 0 ? 0 : 1;
}

/// <summary>The networks a Fashion-MNIST model file of the samples can hold, by .NET type name.</summary>
internal static class Networks
{
    public static nn.Module<Tensor, Tensor> Create(string modelType) => modelType switch
    {
        "DeclCnn.Samples.SimpleCnn" => new SimpleCnn(),
        "DeclCnn.Samples.FashionMnistBnNet" => new FashionMnistBnNet(),
        _ => throw new ArgumentException($"This sample creates SimpleCnn and FashionMnistBnNet, not {modelType}."),
    };
}

/// <summary>The options (<c>--name value</c>) and the paths of a command line.</summary>
internal sealed record Options(IReadOnlyDictionary<string, string> Values, IReadOnlyList<string> Paths)
{
    private static readonly string[] Names = ["--checkpoint", "--model", "--output", "--count", "--top", "--batch"];

    public static bool TryParse(string[] args, out Options options)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var paths = new List<string>();
        options = new Options(values, paths);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                paths.Add(args[i]);
            }
            else if (!Names.Contains(args[i]) || i + 1 >= args.Length || !values.TryAdd(args[i], args[++i]))
            {
                return false;
            }
        }

        return values.Where(static v => v.Key is "--count" or "--top" or "--batch")
            .All(static v => int.TryParse(v.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0);
    }

    public bool Has(params string[] names) => names.All(Values.ContainsKey);

    public string Value(string name) => Values[name];

    public int Int(string name, int fallback) => Values.TryGetValue(name, out string? text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
