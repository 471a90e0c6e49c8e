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
/// The ONNX Runtime engine against the TorchSharp engine on the same model file and images, the metadata an ONNX
/// export carries, and ONNX files without it.
/// </summary>
public sealed class OnnxRuntimeEngineTests : IDisposable
{
    private static readonly ModelInfo RgbInfo = new([3, 8, 8], ["cat", "dog", "bird"], new ChannelStatistics([0.4f, 0.5f, 0.6f], [0.2f, 0.25f, 0.3f]))
    {
        Provenance = new ModelProvenance { Dataset = "synthetic", Epochs = 3, Metric = "val_top1", MetricValue = 0.625 },
    };

    private readonly TempDirectory folder = new();

    public OnnxRuntimeEngineTests() => Synthetic.EnsureTorch();

    public void Dispose() => folder.Dispose();

    /// <summary>Saves a randomly initialized TinyRgbNet and writes <paramref name="count"/> varied 8x8 PNGs (and a 13x5 one, resized).</summary>
    private (string Model, string[] Images) TinyModelAndImages(int count)
    {
        manual_seed(5);
        using var model = new TinyRgbNet();
        string path = folder.File("tiny.safetensors");
        ModelFile.Save(model, path, RgbInfo);
        var random = new Random(9);
        var images = new List<string>();
        for (int i = 0; i < count; i++)
        {
            int width = i == 0 ? 13 : 8, height = i == 0 ? 5 : 8;
            using SKBitmap bitmap = TestImages.Bitmap(width, height, (_, _) => new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            string image = folder.File($"{i:D2}.png");
            File.WriteAllBytes(image, TestImages.Png(bitmap));
            images.Add(image);
        }

        return (path, images.ToArray());
    }

    private static void AssertSame(List<FilePrediction> expected, List<FilePrediction> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Path, actual[i].Path);
            Assert.Equal(expected[i].Error, actual[i].Error);
            if (expected[i].Prediction is { } prediction)
            {
                Assert.Equal(prediction.Top.Select(static s => s.Index), actual[i].Prediction!.Top.Select(static s => s.Index));
                Assert.All(prediction.Top.Zip(actual[i].Prediction!.Top), static pair => Assert.Equal(pair.First.Probability, pair.Second.Probability, 1e-4f));
            }
        }
    }

    [Fact]
    public void Both_engines_give_the_same_top_k_and_probabilities_within_1e_4()
    {
        (string model, string[] images) = TinyModelAndImages(12);
        using var torchSharp = Classifier.Load(new TinyRgbNet(), model, new ClassifierOptions { Engine = ClassifierEngine.TorchSharp, BatchSize = 5 });
        using var fromModelFile = Classifier.Load(new TinyRgbNet(), model, new ClassifierOptions { Engine = ClassifierEngine.OnnxRuntime, BatchSize = 5 });
        string onnx = folder.File("tiny.onnx");
        using (var trained = new TinyRgbNet())
        {
            ModelFile.Load(trained, model);
            trained.ExportOnnx(onnx, RgbInfo);
        }

        using var fromOnnx = Classifier.Open(onnx, new ClassifierOptions { BatchSize = 5 });

        Assert.StartsWith("TorchSharp", torchSharp.EngineName, StringComparison.Ordinal);
        Assert.StartsWith("ONNX Runtime", fromModelFile.EngineName, StringComparison.Ordinal);
        Assert.StartsWith("ONNX Runtime", fromOnnx.EngineName, StringComparison.Ordinal);
        var expected = torchSharp.PredictFiles(images).ToList();
        Assert.All(expected, static e => Assert.True(e.Succeeded));
        AssertSame(expected, fromModelFile.PredictFiles(images).ToList());
        AssertSame(expected, fromOnnx.PredictFiles(images).ToList());
        Assert.Equal(RgbInfo, fromOnnx.Info, new ModelInfoComparer());

        // A tensor batch goes through the same arrays.
        using Tensor pixels = tensor(images.SelectMany(fromOnnx.Decoder.Read).ToArray(), [images.Length, 3, 8, 8]);
        var byTensor = fromOnnx.Predict(pixels);
        AssertSame(expected, byTensor.Select((p, i) => new FilePrediction(images[i], p, null)).ToList());
    }

    [Fact]
    public void Bad_input_fails_alike_in_both_engines_and_the_other_images_are_classified()
    {
        (string model, string[] images) = TinyModelAndImages(3);
        string empty = folder.File("empty.png");
        File.WriteAllBytes(empty, []);
        string text = folder.File("notes.png");
        File.WriteAllText(text, "not an image");
        string huge = folder.File("huge.png");
        File.WriteAllBytes(huge, TestImages.HugeDeclaredPng(100_000, 100_000));
        string missing = folder.File("missing.png");
        string[] files = [images[0], empty, text, images[1], huge, missing, images[2]];
        using var torchSharp = Classifier.Load(new TinyRgbNet(), model, new ClassifierOptions { Engine = ClassifierEngine.TorchSharp });
        using var onnxRuntime = Classifier.Load(new TinyRgbNet(), model, new ClassifierOptions { Engine = ClassifierEngine.OnnxRuntime });

        var expected = torchSharp.PredictFiles(files).ToList();
        var actual = onnxRuntime.PredictFiles(files).ToList();

        AssertSame(expected, actual);
        Assert.Equal([true, false, false, true, false, false, true], actual.Select(static r => r.Succeeded));
        Assert.Contains("is empty", actual[1].Error, StringComparison.Ordinal);
        Assert.Contains("is not a PNG or JPEG image", actual[2].Error, StringComparison.Ordinal);
        Assert.Contains("declares 100000x100000 pixels", actual[4].Error, StringComparison.Ordinal);
        Assert.Contains("cannot be read", actual[5].Error, StringComparison.Ordinal);
        foreach (string bad in new[] { empty, text, huge, missing })
        {
            var fromTorch = Assert.Throws<InvalidDataException>(() => torchSharp.Predict(bad));
            var fromOnnx = Assert.Throws<InvalidDataException>(() => onnxRuntime.Predict(bad));
            Assert.Equal(fromTorch.Message, fromOnnx.Message);
            Assert.Contains(bad, fromOnnx.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_onnx_export_carries_the_model_files_metadata_under_the_same_keys()
    {
        (string model, _) = TinyModelAndImages(0);
        string onnx = folder.File("tiny.onnx");
        using (var trained = new TinyRgbNet())
        {
            ModelFile.Load(trained, model);
            trained.ExportOnnx(onnx, RgbInfo);
        }

        using var engine = OnnxRuntimeEngine.Open(onnx);
        IReadOnlyDictionary<string, string> safetensors = WeightFileReader.ReadSafetensorsMetadata(model);

        Assert.Equal(safetensors.Where(static e => e.Key != "format").OrderBy(static e => e.Key, StringComparer.Ordinal), engine.Metadata.OrderBy(static e => e.Key, StringComparer.Ordinal));
        Assert.Equal(typeof(TinyRgbNet).FullName, engine.Metadata["declcnn.model_type"]);
        Assert.Equal("[\"cat\",\"dog\",\"bird\"]", engine.Metadata["declcnn.class_names"]);
        Assert.Equal([3L, 8, 8], engine.InputShape);
    }

    [Fact]
    public void An_onnx_file_without_metadata_is_a_clear_error_unless_the_information_is_given()
    {
        (string model, string[] images) = TinyModelAndImages(2);
        string bare = folder.File("bare.onnx");
        using (var trained = new TinyRgbNet())
        {
            ModelFile.Load(trained, model);
            trained.ExportOnnx(bare);
        }

        var error = Assert.Throws<WeightFileException>(() => Classifier.Open(bare));
        Assert.Contains($"'{bare}' is an ONNX model without DeclCnn's metadata", error.Message, StringComparison.Ordinal);
        Assert.Contains("Classifier.Open(path, info)", error.Message, StringComparison.Ordinal);

        using var given = Classifier.Open(bare, RgbInfo);
        using var torchSharp = Classifier.Load(new TinyRgbNet(), model, new ClassifierOptions { Engine = ClassifierEngine.TorchSharp });
        AssertSame(torchSharp.PredictFiles(images).ToList(), given.PredictFiles(images).ToList());

        var wrongShape = Assert.Throws<WeightFileException>(() => Classifier.Open(bare, new ModelInfo([3, 16, 16], RgbInfo.ClassNames, RgbInfo.Normalization)));
        Assert.Contains("takes images [3, 8, 8] but its information describes [3, 16, 16]", wrongShape.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_that_are_not_onnx_models_are_named_and_a_missing_one_is_not_found()
    {
        string garbage = folder.File("garbage.onnx");
        File.WriteAllText(garbage, "definitely not protobuf");
        string empty = folder.File("empty.onnx");
        File.WriteAllBytes(empty, []);

        var fromGarbage = Assert.Throws<WeightFileException>(() => Classifier.Open(garbage));
        var fromEmpty = Assert.Throws<WeightFileException>(() => Classifier.Open(empty));
        Assert.Throws<FileNotFoundException>(() => Classifier.Open(folder.File("missing.onnx")));

        Assert.Contains($"'{garbage}' cannot be loaded by ONNX Runtime", fromGarbage.Message, StringComparison.Ordinal);
        Assert.Contains($"'{empty}' cannot be loaded by ONNX Runtime", fromEmpty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Onnx_runtime_refuses_a_device_and_a_module_that_cannot_export_itself()
    {
        (string model, _) = TinyModelAndImages(0);
        var options = new ClassifierOptions { Engine = ClassifierEngine.OnnxRuntime };

        var device = Assert.Throws<ArgumentException>(() => Classifier.Load(new TinyRgbNet(), model, options, CPU));
        var handWritten = Assert.Throws<ArgumentException>(() => Classifier.Load(nn.Sequential(nn.Flatten()), model, options));

        Assert.Contains("ONNX Runtime runs on the CPU", device.Message, StringComparison.Ordinal);
        Assert.Contains("is not a declared network", handWritten.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_one_image_folder_is_classified_with_the_model_files_statistics_not_its_own()
    {
        (string model, string[] images) = TinyModelAndImages(2);
        string classFolder = Directory.CreateDirectory(folder.File(Path.Combine("single", "unknown"))).FullName;
        File.Copy(images[1], Path.Combine(classFolder, "only.png"));

        using ImageDataset single = ImageFolder.Load(folder.File("single"));
        using var classifier = Classifier.Load(new TinyRgbNet(), model);

        Assert.Null(single.Info.ChannelStatistics);
        Prediction fromDataset = classifier.Predict(single.Images).Single();
        Prediction fromFile = classifier.Predict(images[1]);
        Assert.Equal(fromFile.Top.Select(static s => s.Index), fromDataset.Top.Select(static s => s.Index));
        Assert.All(fromFile.Top.Zip(fromDataset.Top), static pair => Assert.Equal(pair.First.Probability, pair.Second.Probability, 1e-6f));

        // The reference: the network on the pixels normalized with the model file's statistics.
        using var trained = new TinyRgbNet();
        ModelFile.Load(trained, model);
        trained.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor input = new Normalize(RgbInfo.Normalization).Apply(single.Images.to(ScalarType.Float32).div(255));
        float[] probabilities = trained.call(input).softmax(1).data<float>().ToArray();
        Assert.All(fromDataset.Top, score => Assert.Equal(probabilities[score.Index], score.Probability, 1e-5f));
    }

    private sealed class ModelInfoComparer : IEqualityComparer<ModelInfo>
    {
        public bool Equals(ModelInfo? x, ModelInfo? y) =>
            x is not null && y is not null && x.InputShape.SequenceEqual(y.InputShape) && x.ClassNames.SequenceEqual(y.ClassNames)
            && x.Normalization.Equals(y.Normalization) && x.Provenance == y.Provenance;

        public int GetHashCode(ModelInfo obj) => obj.ClassNames.Count;
    }
}
