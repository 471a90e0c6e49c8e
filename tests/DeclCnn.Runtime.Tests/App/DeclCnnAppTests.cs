using System;
using System.IO;
using System.Linq;
using DeclCnn.App;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Inference;
using DeclCnn.Runtime.Interchange;
using DeclCnn.Runtime.Tests.Data;
using DeclCnn.Runtime.Tests.Inference;
using DeclCnn.Runtime.Training;
using DeclCnn.Runtime.Training.Reporting;
using DeclCnn.Samples;
using SkiaSharp;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.App;

/// <summary>
/// The command line on the samples' declarations: parsing and its errors, and each verb for real on a tiny
/// Fashion-MNIST-shaped data set written under a temporary data root (64 training and 32 test images).
/// </summary>
public sealed class DeclCnnAppTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public DeclCnnAppTests() => Synthetic.EnsureTorch();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void List_shows_every_declared_network_with_its_shapes_parameters_and_multiply_adds()
    {
        var (code, output, _) = Run("list");

        // SimpleCnn's multiply-adds by hand: 32x28x28 x 1x3x3 + 64x14x14 x 32x3x3 + 3136 x 128 + 128 x 10.
        Assert.Equal(0, code);
        Assert.Contains(output.Split('\n'), line => line.StartsWith("SimpleCnn ", StringComparison.Ordinal) && line.Contains("[N, 1, 28, 28]", StringComparison.Ordinal)
            && line.Contains("421,642", StringComparison.Ordinal) && line.Contains("4,241,152", StringComparison.Ordinal));
        Assert.Contains("ResNet18 ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_prints_the_compile_time_table()
    {
        var (code, output, _) = Run("summary", "LeNet5");

        Assert.Equal(0, code);
        Assert.Equal(LeNet5.Summary.Format(1).TrimEnd(), output.TrimEnd());
    }

    [Theory]
    [InlineData(new[] { "train", "SimpleCnn", "--epochs", "0" }, "--epochs must be at least 1, but is 0")]
    [InlineData(new[] { "train", "SimpleCnn", "--epochs", "many" }, "--epochs")]
    [InlineData(new[] { "train", "NoSuchNet" }, "NoSuchNet")]
    [InlineData(new[] { "train" }, "Name a network, or a --preset.")]
    [InlineData(new[] { "train", "SimpleCnn", "--data", "imagenet" }, "imagenet")]
    [InlineData(new[] { "train", "SimpleCnn", "--label-smoothing", "1" }, "--label-smoothing must be in [0, 1), but is 1")]
    [InlineData(new[] { "evaluate", "SimpleCnn", "--weights", "/no/such/file.ckpt" }, "--weights '/no/such/file.ckpt' does not exist")]
    [InlineData(new[] { "export", "SimpleCnn", "--weights", "/tmp", "--format", "pth", "--output", "x.pth" }, "--weights '/tmp' is a directory, not a file")]
    [InlineData(new[] { "export", "SimpleCnn", "--format", "pth", "--output", "x.pth" }, "--format pth needs --weights.")]
    [InlineData(new[] { "export", "SimpleCnn", "--weights", "/tmp", "--format", "pytorch", "--output", "x.py" }, "--format pytorch writes the network's code, not weights")]
    [InlineData(new[] { "predict", "SimpleCnn", "--model", "/no/such/model.safetensors", "x.png" }, "--model '/no/such/model.safetensors' does not exist")]
    [InlineData(new[] { "predict", "SimpleCnn", "--model", "/tmp", "x.png" }, "--model '/tmp' is a directory, not a file")]
    [InlineData(new[] { "compare" }, "Name the networks to compare, or a --preset.")]
    [InlineData(new[] { "compare", "LeNet5", "NoSuchNet" }, "NoSuchNet")]
    [InlineData(new[] { "compare", "LeNet5", "--seeds", "0,x" }, "--seeds must be distinct whole numbers separated by commas, like 0,1,2, but is '0,x'")]
    [InlineData(new[] { "compare", "LeNet5", "--seeds", "1,1" }, "--seeds must be distinct whole numbers")]
    [InlineData(new[] { "compare", "LeNet5", "--train-images", "0" }, "--train-images must be at least 1, but is 0")]
    [InlineData(new[] { "compare", "LeNet5", "--preset", "nothing" }, "--preset 'nothing' is not a preset of this app; its presets: none")]
    [InlineData(new[] { "train", "--preset", "nothing" }, "--preset 'nothing' is not a preset of this app; its presets: none")]
    public void A_bad_command_line_fails_with_an_error_that_names_the_option(string[] args, string expected)
    {
        var (code, _, error) = Run(args);

        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_evaluate_and_export_work_end_to_end_on_a_tiny_data_set()
    {
        string root = WriteTinyFashionMnist();
        string run = temp.File("run");

        var trained = Run("train", "LeNet5", "--data-root", root, "--epochs", "2", "--batch-size", "16", "--output", run, "--seed", "3");
        Assert.True(trained.Code == 0, trained.Error + trained.Output);
        Assert.Contains("Test accuracy", trained.Output, StringComparison.Ordinal);
        foreach (string file in new[] { "last.ckpt", "best.ckpt", "history.json", TrainingPlots.AccuracyFile, "predictions.png" })
        {
            Assert.True(File.Exists(Path.Combine(run, file)), file);
        }

        var evaluated = Run("evaluate", "LeNet5", "--weights", Path.Combine(run, "last.ckpt"), "--data-root", root);
        Assert.True(evaluated.Code == 0, evaluated.Error + evaluated.Output);
        Assert.Contains("test set, 32 images: loss", evaluated.Output, StringComparison.Ordinal);
        Assert.Contains("Ankle boot", evaluated.Output, StringComparison.Ordinal);
        Assert.Contains("Confusion matrix", evaluated.Output, StringComparison.Ordinal);

        string exported = temp.File("lenet.safetensors");
        var export = Run("export", "LeNet5", "--weights", Path.Combine(run, "last.ckpt"), "--format", "safetensors", "--output", exported);
        Assert.True(export.Code == 0, export.Error + export.Output);
        using var fromCheckpoint = new LeNet5();
        Checkpoint.LoadWeights(Path.Combine(run, "last.ckpt"), fromCheckpoint);
        using var fromExport = new LeNet5();
        fromExport.LoadWeights(exported, WeightFormat.Safetensors);
        var expected = fromCheckpoint.state_dict();
        foreach (var (key, tensor) in fromExport.state_dict())
        {
            Assert.True(tensor.allclose(expected[key], rtol: 0, atol: 0), key);
        }
    }

    [Fact]
    public void Images_and_predict_classify_test_images_with_the_trained_model_file_and_list_failures()
    {
        string root = WriteTinyFashionMnist();
        string run = temp.File("run");
        var trained = Run("train", "LeNet5", "--data-root", root, "--epochs", "1", "--batch-size", "16", "--output", run, "--seed", "3");
        Assert.True(trained.Code == 0, trained.Error + trained.Output);
        string modelFile = Path.Combine(run, "best.safetensors");
        string images = temp.File("images");
        var written = Run("images", "--data-root", root, "--output", images, "--count", "2");
        Assert.True(written.Code == 0, written.Error + written.Output);
        Assert.Equal(["00-T-shirt-top.png", "01-Trouser.png"], Directory.GetFiles(images).Select(static f => Path.GetFileName(f)).Order(StringComparer.Ordinal));
        string single = temp.File("single.png");
        File.WriteAllBytes(single, TestImages.Png(40, 30, new SKColor(240, 200, 220)));

        var (code, output, error) = Run("predict", "LeNet5", "--model", modelFile, "--top", "3", images, single);

        Assert.True(code == 0, error + output);
        using Classifier reference = Classifier.Load(new LeNet5(), modelFile, new ClassifierOptions { Top = 3 });
        foreach (string path in new[] { Path.Combine(images, "00-T-shirt-top.png"), Path.Combine(images, "01-Trouser.png"), single })
        {
            Assert.Contains($"{path}: {reference.Predict(path)}", output, StringComparison.Ordinal);
        }

        Assert.Contains("3 of 3 image(s) classified.", output, StringComparison.Ordinal);
        Assert.Equal(3, reference.Predict(single).Top.Count);

        File.WriteAllText(Path.Combine(images, "notes.txt"), "not an image");
        var withFailure = Run("predict", "LeNet5", "--model", modelFile, images);
        Assert.Equal(1, withFailure.Code);
        Assert.Contains("failed: ", withFailure.Output, StringComparison.Ordinal);
        Assert.Contains("notes.txt", withFailure.Output, StringComparison.Ordinal);
        Assert.Contains("2 of 3 image(s) classified.", withFailure.Output, StringComparison.Ordinal);

        var wrongNetwork = Run("predict", "SimpleCnn", "--model", modelFile, single);
        Assert.Equal(1, wrongNetwork.Code);
        Assert.Contains(typeof(LeNet5).FullName!, wrongNetwork.Error, StringComparison.Ordinal);
        Assert.Contains(typeof(SimpleCnn).FullName!, wrongNetwork.Error, StringComparison.Ordinal);

        // The same images through the other engine, and through an exported ONNX model with its metadata.
        string onnx = temp.File("lenet.onnx");
        var exported = Run("export", "LeNet5", "--weights", modelFile, "--format", "onnx", "--data-root", root, "--output", onnx);
        Assert.True(exported.Code == 0, exported.Error + exported.Output);
        Assert.Equal(ModelFile.ReadHeader(modelFile).Info.ClassNames, ModelFile.ReadHeader(onnx).Info.ClassNames);
        var onTorchSharp = Run("predict", "LeNet5", "--model", modelFile, "--engine", "torchsharp", single);
        var fromOnnx = Run("predict", "LeNet5", "--model", onnx, single);
        Assert.True(onTorchSharp.Code == 0 && fromOnnx.Code == 0, onTorchSharp.Error + fromOnnx.Error);
        Assert.Contains("on TorchSharp", onTorchSharp.Output, StringComparison.Ordinal);
        Assert.Contains("on ONNX Runtime", output, StringComparison.Ordinal);
        Assert.Contains("on ONNX Runtime", fromOnnx.Output, StringComparison.Ordinal);
        string best = $"{single}: {reference.Predict(single).Best.ClassName} ";
        Assert.Contains(best, onTorchSharp.Output, StringComparison.Ordinal);
        Assert.Contains(best, fromOnnx.Output, StringComparison.Ordinal);
        var onnxOnTorchSharp = Run("predict", "LeNet5", "--model", onnx, "--engine", "torchsharp", single);
        Assert.Equal(1, onnxOnTorchSharp.Code);
        Assert.Contains("runs on --engine onnx", onnxOnTorchSharp.Error, StringComparison.Ordinal);
        var onnxOfAnotherNetwork = Run("predict", "SimpleCnn", "--model", onnx, single);
        Assert.Equal(1, onnxOfAnotherNetwork.Code);
        Assert.Contains($"exported from a {typeof(LeNet5).FullName}, not a {typeof(SimpleCnn).FullName}", onnxOfAnotherNetwork.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_writes_a_model_file_from_a_checkpoint_with_the_data_set_and_the_monitored_metric()
    {
        string root = WriteTinyFashionMnist();
        string run = temp.File("run");
        var trained = Run("train", "LeNet5", "--data-root", root, "--epochs", "2", "--batch-size", "16", "--output", run, "--seed", "3");
        Assert.True(trained.Code == 0, trained.Error + trained.Output);
        string exported = temp.File("lenet.safetensors");

        var export = Run("export", "LeNet5", "--weights", Path.Combine(run, "last.ckpt"), "--format", "model", "--data-root", root, "--output", exported);

        Assert.True(export.Code == 0, export.Error + export.Output);
        ModelFileHeader header = ModelFile.ReadHeader(exported);
        ModelFileHeader written = ModelFile.ReadHeader(Path.Combine(run, "last.safetensors"));
        Assert.Equal(typeof(LeNet5).FullName, header.ModelType);
        Assert.Equal(written.Info.ClassNames, header.Info.ClassNames);
        Assert.Equal(written.Info.Normalization.Mean, header.Info.Normalization.Mean);
        Assert.Equal(written.Info.Provenance, header.Info.Provenance);
        Assert.Equal(2, header.Info.Provenance!.Epochs);
        Assert.Equal("val_top1", header.Info.Provenance.Metric);
    }

    [Fact]
    public void Compare_trains_each_network_per_seed_on_the_same_subset_and_writes_the_table_and_plots()
    {
        string root = WriteTinyFashionMnist();
        string output = temp.File("compare");
        string[] args = ["compare", "LeNet5", "FashionMnistMlp", "--data-root", root, "--epochs", "1", "--batch-size", "16", "--seeds", "0,1", "--train-images", "48", "--test-images", "24", "--output", output];

        var compared = Run(args);

        Assert.True(compared.Code == 0, compared.Error + compared.Output);
        string table = File.ReadAllText(Path.Combine(output, ComparisonReport.TableFile));
        Assert.StartsWith("Fashion-MNIST: 48 training images, 24 test images; 1 epoch(s), batch size 16", table, StringComparison.Ordinal);
        string[] rows = table.Split('\n').Where(static line => line.StartsWith("| ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, rows.Length);
        Assert.StartsWith($"| LeNet5 | {LeNet5.Summary.TotalParameters:N0} | {LeNet5.Summary.TotalMultiplyAdds:N0} | 1 | 0, 1 |", rows[1], StringComparison.Ordinal);
        Assert.StartsWith($"| FashionMnistMlp | {FashionMnistMlp.Summary.TotalParameters:N0} | {FashionMnistMlp.Summary.TotalMultiplyAdds:N0} | 1 | 0, 1 |", rows[2], StringComparison.Ordinal);
        Assert.All(rows[1..], row => Assert.Equal(2, row.Split(" % ± ").Length - 1));
        foreach (string plot in new[] { ComparisonReport.AccuracyFile, ComparisonReport.LossFile })
        {
            using SKBitmap image = SKBitmap.Decode(Path.Combine(output, plot));
            Assert.Equal(900, image.Width);
        }

        foreach (string run in new[] { "LeNet5/seed-0", "LeNet5/seed-1", "FashionMnistMlp/seed-0", "FashionMnistMlp/seed-1" })
        {
            TrainingHistory history = TrainingHistory.FromJson(File.ReadAllText(Path.Combine(output, run, TrainingHistory.JsonFileName)));
            Assert.Equal(24, history.Epochs.Single().Validation!.Images);
        }

        // Run again: every finished run is read, none trained, and the table is the same.
        var again = Run(args);
        Assert.True(again.Code == 0, again.Error + again.Output);
        Assert.True(again.Output.Split('\n').Count(static line => line.Contains("read the finished run", StringComparison.Ordinal)) == 4, again.Output);
        Assert.DoesNotContain("training into", again.Output, StringComparison.Ordinal);
        Assert.Equal(table, File.ReadAllText(Path.Combine(output, ComparisonReport.TableFile)));

        // Another recipe in the same folder would mix runs: refused, naming the folder.
        var otherRecipe = Run([.. args.Select(static a => a == "16" ? "8" : a)]);
        Assert.Equal(1, otherRecipe.Code);
        Assert.Contains($"'{Path.Combine(output, "LeNet5", "seed-0")}' holds a run trained otherwise", otherRecipe.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_with_a_preset_and_a_subset_larger_than_the_data_set_names_the_option()
    {
        string root = WriteTinyFashionMnist();
        var app = new DeclCnnApp(typeof(SimpleCnn).Assembly);
        app.Comparisons.Add(new ComparisonPreset("tiny", "two LeNets", [nameof(LeNet5), nameof(LeNet5Padded)], [0], "fashion-mnist", 1, 16, new AdamSettings(), new ConstantSchedule(), TrainImages: 1000));

        var (code, output, error) = Run(app, "compare", "--preset", "tiny", "--data-root", root, "--output", temp.File("tiny"));

        Assert.True(code == 1, output + error);
        Assert.Contains("Preset 'tiny': two LeNets", output, StringComparison.Ordinal);
        Assert.True(error.Contains("--train-images 1000 is more than the 64 training images of Fashion-MNIST", StringComparison.Ordinal), output + error);
    }

    [Fact]
    public void Resume_without_a_checkpoint_says_so()
    {
        string root = WriteTinyFashionMnist();

        var (code, _, error) = Run("train", "LeNet5", "--data-root", root, "--output", temp.File("empty"), "--resume");

        Assert.Equal(1, code);
        Assert.Contains("has no last.ckpt to continue from", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_preset_fills_in_what_the_command_line_does_not_give()
    {
        string root = WriteTinyFashionMnist();
        var app = new DeclCnnApp(typeof(SimpleCnn).Assembly);
        app.Presets.Add(new TrainingPreset("tiny", "LeNet5 for one epoch", nameof(LeNet5), "fashion-mnist", 1, 32, new AdamSettings(), new ConstantSchedule()));

        var (code, output, error) = Run(app, "train", "--preset", "tiny", "--batch-size", "16", "--data-root", root, "--output", temp.File("tiny"));

        Assert.True(code == 0, error + output);
        Assert.Contains("Preset 'tiny': LeNet5 for one epoch", output, StringComparison.Ordinal);
        Assert.Contains("LeNet5: 1 epoch(s), batch size 16", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(temp.File("tiny"), "last.ckpt")));
    }

    [Fact]
    public void Without_arguments_or_a_default_preset_the_app_asks_for_a_command()
    {
        var (code, _, error) = Run();

        Assert.Equal(2, code);
        Assert.Contains("Required command was not provided", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_writes_the_network_as_a_PyTorch_module()
    {
        string path = temp.File("resnet18.py");

        var export = Run("export", "ResNet18", "--format", "pytorch", "--output", path);

        Assert.True(export.Code == 0, export.Error + export.Output);
        Assert.Equal(ResNet18.PyTorchSource, File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(temp.Path, "resnet18*"));
    }

    private static (int Code, string Output, string Error) Run(params string[] args) => Run(new DeclCnnApp(typeof(SimpleCnn).Assembly), args);

    private static (int Code, string Output, string Error) Run(DeclCnnApp app, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = app.Invoke(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A data root whose fashion-mnist folder holds 64 training and 32 test images, every class present.</summary>
    private string WriteTinyFashionMnist()
    {
        string folder = temp.File(Path.Combine("data", FashionMnist.FolderName));
        Directory.CreateDirectory(folder);
        foreach (var (images, labels, count) in new[] { (MnistLayout.TrainImages, MnistLayout.TrainLabels, 64), (MnistLayout.TestImages, MnistLayout.TestLabels, 32) })
        {
            var random = new Random(count);
            var pixels = new byte[count * 784];
            random.NextBytes(pixels);
            IdxWriter.WriteImages(Path.Combine(folder, images + ".gz"), new IdxImages(count, 28, 28, pixels));
            IdxWriter.WriteLabels(Path.Combine(folder, labels + ".gz"), Enumerable.Range(0, count).Select(static i => (byte)(i % 10)).ToArray());
        }

        return temp.File("data");
    }
}
