using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Data.Augmentation;
using DeclCnn.Runtime.Inference;
using DeclCnn.Runtime.Interchange;
using DeclCnn.Runtime.Tests.Data;
using DeclCnn.Samples;
using SkiaSharp;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Inference;

/// <summary>
/// The classifier against the network run by hand: the same probabilities for every kind of input, top-k, evaluation
/// mode, and folder runs that list failures and classify the rest.
/// </summary>
public class ClassifierTests
{
    private static readonly ChannelStatistics RgbStatistics = new([0.4f, 0.5f, 0.6f], [0.2f, 0.25f, 0.3f]);

    private static ModelInfo RgbInfo() => new([3, 8, 8], ["cat", "dog", "bird"], RgbStatistics);

    /// <summary>The softmax of <paramref name="model"/> on <paramref name="pixels"/> normalized as training does, computed with TorchSharp.</summary>
    private static float[,] Reference(nn.Module<Tensor, Tensor> model, Tensor pixels, ChannelStatistics statistics)
    {
        using var scope = NewDisposeScope();
        model.eval();
        using var noGrad = no_grad();
        Tensor input = new Normalize(statistics).Apply(pixels.to(ScalarType.Float32).div(255));
        Tensor probabilities = model.call(input).softmax(1);
        var result = new float[probabilities.shape[0], probabilities.shape[1]];
        float[] values = probabilities.data<float>().ToArray();
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(float));
        return result;
    }

    private static void AssertMatches(float[,] reference, int row, Prediction prediction)
    {
        int best = Enumerable.Range(0, reference.GetLength(1)).MaxBy(k => reference[row, k]);
        Assert.Equal(best, prediction.Best.Index);
        foreach (ClassScore score in prediction.Top)
        {
            Assert.Equal(reference[row, score.Index], score.Probability, 1e-5f);
        }
    }

    [Fact]
    public void A_loaded_classifier_gives_the_networks_probabilities_for_paths_bytes_bitmaps_and_tensors()
    {
        Synthetic.EnsureTorch();
        using var folder = new TempDirectory();
        manual_seed(3);
        using var trained = new TinyRgbNet();
        string modelPath = folder.File("tiny.safetensors");
        ModelFile.Save(trained, modelPath, RgbInfo());
        using SKBitmap image = TestImages.Bitmap(8, 8, (x, y) => new SKColor((byte)(x * 30), (byte)(y * 30), (byte)((x + y) * 15)));
        byte[] png = TestImages.Png(image);
        string imagePath = folder.File("image.png");
        File.WriteAllBytes(imagePath, png);
        byte[] planes = new ImageDecoder(3, 8, 8).Convert(image);
        using Tensor pixels = tensor(planes, [1, 3, 8, 8]);
        float[,] reference = Reference(trained, pixels, RgbStatistics);

        using var classifier = Classifier.Load(new TinyRgbNet(), modelPath);

        Assert.Equal(["cat", "dog", "bird"], classifier.Info.ClassNames);
        Assert.Equal(3, classifier.Top);
        Prediction fromPath = classifier.Predict(imagePath);
        AssertMatches(reference, 0, fromPath);
        Assert.Equal(fromPath, classifier.Predict(png, "image.png"), PredictionComparer.Instance);
        Assert.Equal(fromPath, classifier.Predict(image), PredictionComparer.Instance);
        Assert.Equal(fromPath, classifier.Predict(pixels).Single(), PredictionComparer.Instance);
        Assert.Equal(1f, fromPath.Top.Sum(static s => s.Probability), 1e-5f);
        Assert.True(fromPath.Top.Zip(fromPath.Top.Skip(1)).All(static pair => pair.First.Probability >= pair.Second.Probability));
    }

    [Fact]
    public void Byte_and_float_batches_larger_than_a_batch_give_the_networks_probabilities_in_evaluation_mode()
    {
        Synthetic.EnsureTorch();
        manual_seed(5);
        using var model = new SimpleCnn();
        model.train();
        using ImageDataset images = Synthetic.Random(10, 1, 28, seed: 1);
        var statistics = new ChannelStatistics([0.3f], [0.4f]);
        var info = new ModelInfo(SimpleCnn.Summary.InputShape, Enumerable.Range(0, 10).Select(static i => $"digit {i}").ToArray(), statistics);
        float[,] reference = Reference(model, images.Images, statistics);
        using var classifier = Classifier.FromModule(model, info, new ClassifierOptions { Top = 2, BatchSize = 4 });
        using Tensor normalized = new Normalize(statistics).Apply(images.Images.to(ScalarType.Float32).div(255));

        model.train();   // dropout would make two runs differ; the classifier evaluates in evaluation mode
        IReadOnlyList<Prediction> fromBytes = classifier.Predict(images.Images);
        IReadOnlyList<Prediction> fromFloats = classifier.Predict(normalized);

        Assert.Equal(10, fromBytes.Count);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(2, fromBytes[i].Top.Count);
            AssertMatches(reference, i, fromBytes[i]);
            AssertMatches(reference, i, fromFloats[i]);
        }

        var error = Assert.Throws<ArgumentException>(() => classifier.Predict(zeros(2, 3, 28, 28)));
        Assert.Contains("Expected a uint8 or float32 batch [N, 1, 28, 28]; got Float32 [2, 3, 28, 28]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Top_k_is_at_most_the_class_count_and_five_by_default()
    {
        Synthetic.EnsureTorch();
        using var model = new TinyRgbNet();

        Assert.Equal(3, new Classifier(new TorchSharpEngine(model, [3, 8, 8]), RgbInfo()).Top);
        Assert.Throws<ArgumentOutOfRangeException>(() => Classifier.FromModule(model, RgbInfo(), new ClassifierOptions { Top = 4 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Classifier.FromModule(model, RgbInfo(), new ClassifierOptions { Top = 0 }));
        var tenClasses = new ModelInfo([1, 28, 28], Enumerable.Range(0, 10).Select(static i => $"c{i}").ToArray(), new ChannelStatistics([0f], [1f]));
        using var simple = new SimpleCnn();
        Assert.Equal(5, Classifier.FromModule(simple, tenClasses).Top);
    }

    [Fact]
    public void Loading_another_declaration_fails_before_any_prediction()
    {
        Synthetic.EnsureTorch();
        using var folder = new TempDirectory();
        string path = folder.File("tiny.safetensors");
        using (var tiny = new TinyRgbNet())
        {
            ModelFile.Save(tiny, path, RgbInfo());
        }

        var error = Assert.Throws<WeightFileException>(() => Classifier.Load(new SimpleCnn(), path));

        Assert.Contains("does not load into a DeclCnn.Samples.SimpleCnn", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_run_streams_batches_lists_failures_and_classifies_the_rest()
    {
        Synthetic.EnsureTorch();
        using var folder = new TempDirectory();
        manual_seed(7);
        using var model = new TinyRgbNet();
        string images = Directory.CreateDirectory(Path.Combine(folder.Path, "images")).FullName;
        var colours = new[] { SKColors.Red, SKColors.Green, SKColors.Blue, SKColors.White };
        for (int i = 0; i < colours.Length; i++)
        {
            File.WriteAllBytes(Path.Combine(images, $"{i}.png"), TestImages.Png(16, 12, colours[i]));
        }

        File.WriteAllBytes(Path.Combine(images, "1a-empty.png"), []);
        File.WriteAllText(Path.Combine(images, "2a-readme.txt"), "not an image");
        File.WriteAllBytes(Path.Combine(images, "3a-huge.png"), TestImages.HugeDeclaredPng(50_000, 50_000));
        using var classifier = Classifier.FromModule(model, RgbInfo(), new ClassifierOptions { BatchSize = 3, Top = 1 });
        var progress = new List<PredictionProgress>();

        FilePrediction[] results = classifier.PredictFolder(images, progress: progress.Add).ToArray();

        Assert.Equal(["0.png", "1.png", "1a-empty.png", "2.png", "2a-readme.txt", "3.png", "3a-huge.png"], results.Select(static r => Path.GetFileName(r.Path)));
        Assert.Equal([new(3, 7, 1), new(6, 7, 2), new PredictionProgress(7, 7, 3)], progress);
        FilePrediction[] failures = results.Where(static r => !r.Succeeded).ToArray();
        Assert.Equal(["1a-empty.png", "2a-readme.txt", "3a-huge.png"], failures.Select(static r => Path.GetFileName(r.Path)));
        Assert.All(failures, failure => Assert.Contains(failure.Path, failure.Error, StringComparison.Ordinal));
        foreach (FilePrediction result in results.Where(static r => r.Succeeded))
        {
            Assert.Equal(classifier.Predict(result.Path), result.Prediction!, PredictionComparer.Instance);
        }

        Assert.Throws<DirectoryNotFoundException>(() => classifier.PredictFolder(Path.Combine(folder.Path, "missing")).ToArray());
    }

    /// <summary>
    /// Predictions are equal when they rank the same classes with the same probabilities, up to float rounding: a
    /// network's arithmetic differs slightly with the batch size.
    /// </summary>
    private sealed class PredictionComparer : IEqualityComparer<Prediction>
    {
        public static readonly PredictionComparer Instance = new();

        public bool Equals(Prediction? x, Prediction? y) =>
            x is not null && y is not null && x.Top.Count == y.Top.Count
            && x.Top.Zip(y.Top).All(static pair => pair.First.Index == pair.Second.Index && Math.Abs(pair.First.Probability - pair.Second.Probability) < 1e-5f);

        public int GetHashCode(Prediction obj) => obj.Top.Count;
    }
}
