using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Inference;
using DeclCnn.Runtime.Interchange;
using DeclCnn.Runtime.Interchange.Onnx;
using DeclCnn.Runtime.Training;
using DeclCnn.Runtime.Training.Reporting;
using SkiaSharp;
using static TorchSharp.torch;

namespace DeclCnn.App;

/// <summary>The app's commands; each builds its System.CommandLine command and runs it.</summary>
internal static class Commands
{
    public static Command List(CommandContext context)
    {
        var command = new Command("list", "Lists the declared networks: input and output shapes, parameter counts and multiply-adds per image.");
        command.SetAction(_ =>
        {
            var rows = context.App.Networks.Select(static n => (n.Name, Input: Shape(n.Summary.InputShape), Output: Shape(n.Summary.OutputShape), Parameters: Count(n.Summary.TotalParameters), MultiplyAdds: Count(n.Summary.TotalMultiplyAdds))).ToList();
            int name = Math.Max(7, rows.Max(static r => r.Name.Length)), input = Math.Max(5, rows.Max(static r => r.Input.Length)), output = Math.Max(6, rows.Max(static r => r.Output.Length));
            context.Output.WriteLine($"{"network".PadRight(name)}  {"input".PadRight(input)}  {"output".PadRight(output)}  {"parameters",11}  {"multiply-adds",14}");
            foreach (var row in rows)
            {
                context.Output.WriteLine($"{row.Name.PadRight(name)}  {row.Input.PadRight(input)}  {row.Output.PadRight(output)}  {row.Parameters,11}  {row.MultiplyAdds,14}");
            }

            return 0;
        });
        return command;
    }

    public static Command Summary(CommandContext context)
    {
        var network = NetworkArgument(context);
        var batchSize = new Option<int>("--batch-size") { Description = "The batch size the memory estimates are for.", DefaultValueFactory = static _ => 1 };
        Positive(batchSize);
        var command = new Command("summary", "Prints a network's layers, output shapes, parameter counts and multiply-adds, computed at compile time.") { network, batchSize };
        command.SetAction(parsed =>
        {
            context.Output.WriteLine(Resolve(context, parsed.GetValue(network)!).Summary.Format(parsed.GetValue(batchSize)).TrimEnd());
            return 0;
        });
        return command;
    }

    public static Command Train(CommandContext context)
    {
        var network = NetworkArgument(context);
        network.Arity = ArgumentArity.ZeroOrOne;
        var preset = PresetOption("A named run to start from", context.App.Presets.Select(static p => (p.Name, p.Description)));
        var recipe = new RecipeOptions();
        var seed = new Option<ulong>("--seed") { Description = "Seed of the weights, the data order and the augmentation.", DefaultValueFactory = static _ => 0 };
        var output = new Option<string?>("--output") { Description = "Folder of the reports and checkpoints (default: runs/<preset or network>)." };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --output from its last checkpoint." };

        var command = new Command("train", "Trains a declared network, with a progress bar, TensorBoard events, plots, a predictions grid and checkpoints.") { network, preset };
        recipe.AddTo(command);
        command.Options.Add(seed);
        command.Options.Add(output);
        command.Options.Add(resume);
        command.Validators.Add(result =>
        {
            if (result.GetValue(network) is null && result.GetValue(preset) is null)
            {
                result.AddError("Name a network, or a --preset.");
            }
        });
        command.SetAction(parsed =>
        {
            TrainingPreset? chosen = parsed.GetValue(preset) is { } name ? context.App.Presets.Single(p => p.Name == name) : null;
            var run = new TrainingRun(
                Resolve(context, parsed.GetValue(network) ?? chosen!.Network),
                recipe.Resolve(parsed, chosen),
                parsed.GetValue(seed),
                Path.GetFullPath(parsed.GetValue(output) ?? Path.Combine("runs", chosen?.Name ?? parsed.GetValue(network)!)),
                parsed.GetValue(resume),
                chosen);
            return run.Execute(context.Output);
        });
        return command;
    }

    public static Command Compare(CommandContext context)
    {
        var networks = new Argument<string[]>("networks") { Description = "Declared networks to train and compare, in table order.", Arity = ArgumentArity.ZeroOrMore };
        networks.AcceptOnlyFromAmong([.. context.App.Networks.Select(static n => n.Name)]);
        var preset = PresetOption("A named comparison", context.App.Comparisons.Select(static p => (p.Name, p.Description)));
        var recipe = new RecipeOptions();
        var seeds = new Option<string?>("--seeds") { Description = "Comma-separated seeds, each network trained once per seed; the table shows mean ± standard deviation (default: the preset's, else 0)." };
        seeds.Validators.Add(static result =>
        {
            if (Value<string?>(result) is { } text && Seeds(text) is null)
            {
                result.AddError($"--seeds must be distinct whole numbers separated by commas, like 0,1,2, but is '{text}'.");
            }
        });
        var trainImages = new Option<int?>("--train-images") { Description = "Train on this many training images, the same random subset for every run (default: the preset's, else all)." };
        var testImages = new Option<int?>("--test-images") { Description = "Test on this many test images, the same random subset for every run (default: the preset's, else all)." };
        Positive(trainImages);
        Positive(testImages);
        var output = new Option<string?>("--output") { Description = "Folder of the table, the plots and one sub-folder per run (default: runs/compare-<preset>, else runs/compare)." };

        var command = new Command(
            "compare",
            "Trains several networks on the same data with the same recipe, once per seed, and writes a Markdown table (parameters, multiply-adds, time, "
                + "accuracy) and plots with every run's curves. A run whose folder already holds its finished history is read, not trained again.")
        {
            networks, preset,
        };
        recipe.AddTo(command);
        command.Options.Add(seeds);
        command.Options.Add(trainImages);
        command.Options.Add(testImages);
        command.Options.Add(output);
        command.Validators.Add(result =>
        {
            if (result.GetValue(networks) is not { Length: > 0 } && result.GetValue(preset) is null)
            {
                result.AddError("Name the networks to compare, or a --preset.");
            }
        });
        command.SetAction(parsed =>
        {
            ComparisonPreset? chosen = parsed.GetValue(preset) is { } name ? context.App.Comparisons.Single(p => p.Name == name) : null;
            string[] named = parsed.GetValue(networks) is { Length: > 0 } given ? given : [.. chosen!.Networks];
            var comparison = new Comparison(
                [.. named.Select(n => Resolve(context, n))],
                recipe.Resolve(parsed, chosen),
                parsed.GetValue(seeds) is { } text ? Seeds(text)! : chosen?.Seeds ?? [0],
                parsed.GetValue(trainImages) ?? chosen?.TrainImages,
                parsed.GetValue(testImages) ?? chosen?.TestImages,
                Path.GetFullPath(parsed.GetValue(output) ?? Path.Combine("runs", chosen is null ? "compare" : $"compare-{chosen.Name}")),
                chosen);
            return comparison.Execute(context.Output);
        });
        return command;
    }

    public static Command Evaluate(CommandContext context)
    {
        var network = NetworkArgument(context);
        var weights = WeightsOption();
        var data = DataOption();
        var dataRoot = DataRootOption();
        var batchSize = new Option<int>("--batch-size") { Description = "Evaluation batch size.", DefaultValueFactory = static _ => BatchLoader.DefaultEvaluationBatchSize };
        Positive(batchSize);
        var command = new Command("evaluate", "Evaluates trained weights on a data set's test images: loss, accuracy, per-class accuracy and the confusion matrix.")
        {
            network, weights, data, dataRoot, batchSize,
        };
        command.SetAction(parsed =>
        {
            using var model = Resolve(context, parsed.GetValue(network)!).Create();
            LoadWeights(model, parsed.GetValue(weights)!);
            using TrainTestSplit split = DataSets.Load(parsed.GetValue(data) ?? "fashion-mnist", parsed.GetValue(dataRoot), context.Output.WriteLine);
            ClassificationMetrics metrics = Trainer.Evaluate(model, BatchLoader.ForEvaluation(split.Test, parsed.GetValue(batchSize)));
            MetricsReport.Write(context.Output, split.Test.Info, metrics);
            return 0;
        });
        return command;
    }

    public static Command Export(CommandContext context)
    {
        var network = NetworkArgument(context);
        var weights = WeightsOption();
        weights.Required = false;
        var format = new Option<string>("--format")
        {
            Description = "pth (a PyTorch state dict), safetensors, torchsharp, model (a model file: safetensors with the training set's class names and statistics), "
                + "onnx (an ONNX model with the same information as metadata, for ONNX Runtime), or pytorch (the network as a PyTorch module, a .py file; no --weights).",
            Required = true,
        };
        format.AcceptOnlyFromAmong("pth", "safetensors", "torchsharp", "model", "onnx", "pytorch");
        var output = new Option<string>("--output") { Description = "The file to write.", Required = true };
        var data = new Option<string?>("--data") { Description = $"With --format model or onnx: the data set the weights were trained on, {string.Join(", ", DataSets.Names)} (default fashion-mnist)." };
        data.AcceptOnlyFromAmong([.. DataSets.Names]);
        var dataRoot = DataRootOption();
        var command = new Command("export", "Writes trained weights in another format, with PyTorch's state-dict keys, or the network as a PyTorch module.") { network, weights, format, output, data, dataRoot };
        command.Validators.Add(result =>
        {
            bool pyTorch = result.GetValue(format) == "pytorch";
            if (pyTorch && result.GetValue(weights) is not null)
            {
                result.AddError("--format pytorch writes the network's code, not weights: leave out --weights (write them with --format pth).");
            }
            else if (!pyTorch && result.GetValue(weights) is null)
            {
                result.AddError($"--format {result.GetValue(format)} needs --weights.");
            }
        });
        command.SetAction(parsed =>
        {
            DeclaredNetwork declared = Resolve(context, parsed.GetValue(network)!);
            string path = Path.GetFullPath(parsed.GetValue(output)!);
            if (parsed.GetValue(format) == "pytorch")
            {
                PyTorchSourceFile.Write(path, declared.PyTorchSource);
                context.Output.WriteLine($"Wrote {path}.");
                return 0;
            }

            using var model = declared.Create();
            string source = parsed.GetValue(weights)!;
            LoadWeights(model, source);
            if (parsed.GetValue(format) is "model" or "onnx")
            {
                using TrainTestSplit split = DataSets.Load(parsed.GetValue(data) ?? "fashion-mnist", parsed.GetValue(dataRoot), context.Output.WriteLine);
                ModelInfo info = ModelInfo.For(split.Train.Info) with { Provenance = Provenance(split.Train.Info, source) };
                if (parsed.GetValue(format) == "model")
                {
                    ModelFile.Save(model, path, info);
                }
                else
                {
                    ((IOnnxExportable)model).ExportOnnx(path, info);
                }
            }
            else
            {
                model.SaveWeights(path, parsed.GetValue(format) switch { "pth" => WeightFormat.PyTorch, "safetensors" => WeightFormat.Safetensors, _ => WeightFormat.TorchSharp });
            }

            context.Output.WriteLine($"Wrote {path}.");
            return 0;
        });
        return command;
    }

    public static Command Predict(CommandContext context)
    {
        var network = NetworkArgument(context);
        var model = new Option<string>("--model")
        {
            Description = "A model file (the trainer's best.safetensors or last.safetensors, or one written by export --format model), or an ONNX model written by export --format onnx.",
            Required = true,
        };
        ExistingFile(model);
        var top = new Option<int>("--top") { Description = "Classes to print per image, most probable first (at most the class count).", DefaultValueFactory = static _ => 5 };
        Positive(top);
        var batchSize = new Option<int>("--batch-size") { Description = "Images classified together.", DefaultValueFactory = static _ => 64 };
        Positive(batchSize);
        var engine = new Option<string>("--engine")
        {
            Description = "onnx (ONNX Runtime, the default: faster at batch 1 and 256, docs/inference.md) or torchsharp. An ONNX model runs on onnx only.",
            DefaultValueFactory = static _ => "onnx",
        };
        engine.AcceptOnlyFromAmong("onnx", "torchsharp");
        var paths = new Argument<string[]>("paths") { Description = "Image files and folders (every file of a folder).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("predict", "Classifies image files and folders with a model file: the top classes and their probabilities per image; files that cannot be classified are listed.")
        {
            network, model, top, batchSize, engine, paths,
        };
        command.SetAction(parsed =>
        {
            string modelPath = parsed.GetValue(model)!;
            DeclaredNetwork declared = Resolve(context, parsed.GetValue(network)!);
            bool onnxFile = Path.GetExtension(modelPath).Equals(".onnx", StringComparison.OrdinalIgnoreCase);
            var options = new ClassifierOptions
            {
                Engine = parsed.GetValue(engine) == "torchsharp" ? ClassifierEngine.TorchSharp : ClassifierEngine.OnnxRuntime,
                BatchSize = parsed.GetValue(batchSize),
            };
            if (onnxFile && options.Engine != ClassifierEngine.OnnxRuntime)
            {
                throw new ArgumentException($"'{modelPath}' is an ONNX model, which runs on --engine onnx; give a model file (.safetensors) for torchsharp.");
            }

            ModelFileHeader header = ModelFile.ReadHeader(modelPath);
            if (onnxFile && header.ModelType != declared.Type.FullName)
            {
                // A model file is checked by Classifier.Load, key by key; an ONNX model has only its metadata to go by.
                throw new ArgumentException($"The ONNX model '{modelPath}' was exported from a {header.ModelType}, not a {declared.Type.FullName}.");
            }

            options = options with { Top = Math.Min(parsed.GetValue(top), header.Info.ClassNames.Count) };
            using Classifier classifier = onnxFile ? Classifier.Open(modelPath, options) : Classifier.Load(declared.Create(), modelPath, options);
            context.Output.WriteLine($"{header.ModelType} from {modelPath} on {classifier.EngineName}, trained on {header.Info.Provenance?.Dataset ?? "unknown data"}");
            string[] files = parsed.GetValue(paths)!.SelectMany(static path => Directory.Exists(path)
                ? Directory.GetFiles(path).Order(StringComparer.Ordinal)
                : Enumerable.Repeat(path, 1)).ToArray();
            var failures = new List<FilePrediction>();
            foreach (FilePrediction result in classifier.PredictFiles(files, progress => context.Error.WriteLine($"[{progress.Done}/{progress.Total}, {progress.Failed} failed]")))
            {
                if (result.Succeeded)
                {
                    context.Output.WriteLine($"{result.Path}: {result.Prediction}");
                }
                else
                {
                    failures.Add(result);
                }
            }

            foreach (FilePrediction failure in failures)
            {
                context.Output.WriteLine($"failed: {failure.Error}");
            }

            context.Output.WriteLine($"{files.Length - failures.Count} of {files.Length} image(s) classified.");
            return failures.Count == 0 ? 0 : 1;
        });
        return command;
    }

    public static Command Images(CommandContext context)
    {
        var data = DataOption();
        var dataRoot = DataRootOption();
        var output = new Option<string>("--output") { Description = "The folder to write the PNG files to.", Required = true };
        var count = new Option<int>("--count") { Description = "How many of the first test images to write.", DefaultValueFactory = static _ => 20 };
        Positive(count);
        var command = new Command("images", "Writes the first test images of a data set as PNG files named <index>-<true class>.png, to try predict on.") { data, dataRoot, output, count };
        command.SetAction(parsed =>
        {
            using TrainTestSplit split = DataSets.Load(parsed.GetValue(data) ?? "fashion-mnist", parsed.GetValue(dataRoot), context.Output.WriteLine);
            string folder = Path.GetFullPath(parsed.GetValue(output)!);
            Directory.CreateDirectory(folder);
            int written = (int)Math.Min(parsed.GetValue(count), split.Test.Count);
            DatasetInfo info = split.Test.Info;
            long[] labels;
            using (Tensor first = split.Test.Labels.narrow(0, 0, written).to_type(ScalarType.Int64))
            {
                labels = first.data<long>().ToArray();
            }

            for (int i = 0; i < written; i++)
            {
                using SKBitmap bitmap = Bitmap(split.Test, i);
                using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
                string name = info.ClassNames[(int)labels[i]].Replace('/', '-');
                File.WriteAllBytes(Path.Combine(folder, $"{i:00}-{name}.png"), png.ToArray());
            }

            context.Output.WriteLine($"Wrote {written} {info.Name} test images to {folder}.");
            return 0;
        });
        return command;
    }

    /// <summary>Image <paramref name="index"/> of <paramref name="dataset"/>: grey for one channel, the first three as RGB otherwise.</summary>
    private static SKBitmap Bitmap(ImageDataset dataset, int index)
    {
        DatasetInfo info = dataset.Info;
        using var scope = NewDisposeScope();
        byte[] pixels = dataset.Images[index].contiguous().data<byte>().ToArray();
        int plane = info.Height * info.Width;
        var bitmap = new SKBitmap(new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (int p = 0; p < plane; p++)
        {
            byte r = pixels[p];
            byte g = info.Channels >= 3 ? pixels[p + plane] : r;
            byte b = info.Channels >= 3 ? pixels[p + (2 * plane)] : r;
            bitmap.SetPixel(p % info.Width, p / info.Width, new SKColor(r, g, b));
        }

        return bitmap;
    }

    /// <summary>Where weights came from: the data set, and from a trainer checkpoint its epoch and monitored metric.</summary>
    private static ModelProvenance Provenance(DatasetInfo training, string weights)
    {
        if (!string.Equals(Path.GetExtension(weights), ".ckpt", StringComparison.OrdinalIgnoreCase))
        {
            return new ModelProvenance { Dataset = training.Name };
        }

        CheckpointState state = Checkpoint.ReadState(weights);
        string? monitor = state.Callbacks.GetValueOrDefault("checkpoint")?["monitor"]?.GetValue<string>();
        return new ModelProvenance
        {
            Dataset = training.Name,
            Epochs = state.Epoch,
            Metric = monitor,
            MetricValue = monitor is not null && state.History.Count > 0 ? state.History[^1].Get(monitor) : null,
        };
    }

    /// <summary>Loads a trainer checkpoint (<c>.ckpt</c>), a PyTorch state dict (<c>.pth</c>, <c>.pt</c>), safetensors, or a TorchSharp weight file (any other extension).</summary>
    private static void LoadWeights(nn.Module<Tensor, Tensor> model, string path)
    {
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".ckpt":
                Checkpoint.LoadWeights(path, model);
                break;
            case ".pth" or ".pt":
                model.LoadWeights(path, WeightFormat.PyTorch);
                break;
            case ".safetensors":
                model.LoadWeights(path, WeightFormat.Safetensors);
                break;
            default:
                model.LoadWeights(path, WeightFormat.TorchSharp);
                break;
        }
    }

    /// <summary>
    /// <c>--preset</c>, completing and accepting the app's presets only; an app without presets refuses every name (System.CommandLine's
    /// own check accepts anything from an empty list).
    /// </summary>
    private static Option<string?> PresetOption(string description, IEnumerable<(string Name, string Description)> presets)
    {
        var known = presets.ToList();
        var option = new Option<string?>("--preset") { Description = $"{description}: " + string.Join("; ", known.Select(static p => $"{p.Name}: {p.Description}")) };
        option.CompletionSources.Add([.. known.Select(static p => p.Name)]);
        option.Validators.Add(result =>
        {
            if (Value<string?>(result) is { } name && !known.Any(p => p.Name == name))
            {
                result.AddError($"--preset '{name}' is not a preset of this app; its presets: {(known.Count == 0 ? "none" : string.Join(", ", known.Select(static p => p.Name)))}.");
            }
        });
        return option;
    }

    private static Argument<string> NetworkArgument(CommandContext context)
    {
        var names = context.App.Networks.Select(static n => n.Name).ToArray();
        var argument = new Argument<string>("network") { Description = "A declared network: " + string.Join(", ", names) + "." };
        argument.AcceptOnlyFromAmong(names);
        return argument;
    }

    internal static Option<string?> DataOption()
    {
        var option = new Option<string?>("--data") { Description = $"The data set: {string.Join(", ", DataSets.Names)} (default: the preset's, else fashion-mnist)." };
        option.AcceptOnlyFromAmong([.. DataSets.Names]);
        return option;
    }

    internal static Option<string?> DataRootOption() =>
        new("--data-root") { Description = "The data root (default: $DECLCNN_DATA, else ~/.declcnn/data)." };

    private static Option<string> WeightsOption()
    {
        var option = new Option<string>("--weights") { Description = "Trained weights: a .ckpt checkpoint, a .pth or .safetensors file (model files included), or a TorchSharp weight file.", Required = true };
        ExistingFile(option);
        return option;
    }

    private static void ExistingFile(Option<string> option)
    {
        option.Validators.Add(result =>
        {
            if (Value<string>(result) is { } path && !File.Exists(path))
            {
                result.AddError(Directory.Exists(path) ? $"{option.Name} '{path}' is a directory, not a file." : $"{option.Name} '{path}' does not exist.");
            }
        });
    }

    private static DeclaredNetwork Resolve(CommandContext context, string name) =>
        context.App.FindNetwork(name) ?? throw new ArgumentException($"No declared network is named '{name}'.", nameof(name));

    internal static void Positive<T>(Option<T> option)
    {
        option.Validators.Add(result =>
        {
            if (Value<T>(result) is int value && value < 1)
            {
                result.AddError($"{option.Name} must be at least 1, but is {value}.");
            }
        });
    }

    internal static void NonNegative(Option<double?> option)
    {
        option.Validators.Add(result =>
        {
            if (Value<double?>(result) is { } value && !(value >= 0 && double.IsFinite(value)))
            {
                result.AddError($"{option.Name} must be zero or positive and finite, but is {value.ToString(CultureInfo.InvariantCulture)}.");
            }
        });
    }

    /// <summary>The option's value for a validator, or the default when it does not parse (System.CommandLine reports that itself).</summary>
    internal static T? Value<T>(OptionResult result)
    {
        try
        {
            return result.GetValueOrDefault<T>();
        }
        catch (InvalidOperationException)
        {
            return default;
        }
    }

    /// <summary>The seeds of "0,1,2", or null when the text is not a list of distinct whole numbers.</summary>
    private static ulong[]? Seeds(string text)
    {
        var seeds = new List<ulong>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed) || seeds.Contains(seed))
            {
                return null;
            }

            seeds.Add(seed);
        }

        return [.. seeds];
    }

    private static string Shape(IReadOnlyList<long> dimensions) => "[N, " + string.Join(", ", dimensions) + "]";

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
