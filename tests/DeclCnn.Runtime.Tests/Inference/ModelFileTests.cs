using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Inference;
using DeclCnn.Runtime.Interchange;
using DeclCnn.Runtime.Tests.Data;
using DeclCnn.Runtime.Tests.Interchange;
using DeclCnn.Samples;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Inference;

/// <summary>Model files: what they hold, how other tools see them, and how bad files and wrong declarations fail.</summary>
public class ModelFileTests
{
    private static readonly string[] Clothes =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private static ModelInfo FashionInfo() =>
        new ModelInfo(SimpleCnn.Summary.InputShape, Clothes, new ChannelStatistics([0.2860f], [0.3530f]))
        {
            Provenance = new ModelProvenance { Dataset = "Fashion-MNIST", Epochs = 15, Metric = "val_top1", MetricValue = 0.9132 },
        };

    [Fact]
    public void A_saved_model_loads_into_a_fresh_module_with_its_weights_and_information()
    {
        Synthetic.EnsureTorch();
        using var folder = new TempDirectory();
        string path = folder.File("simple.safetensors");
        using var trained = new SimpleCnn();

        ModelFile.Save(trained, path, FashionInfo());
        using var fresh = new SimpleCnn();
        ModelFileHeader header = ModelFile.Load(fresh, path);

        Fixtures.AssertSameState(Fixtures.Snapshot(trained), fresh);
        Assert.Equal("DeclCnn.Samples.SimpleCnn", header.ModelType);
        Assert.Equal([1L, 28, 28], header.Info.InputShape);
        Assert.Equal(Clothes, header.Info.ClassNames);
        Assert.Equal(new ChannelStatistics([0.2860f], [0.3530f]), header.Info.Normalization);
        Assert.Equal(FashionInfo().Provenance, header.Info.Provenance);
        ModelFileHeader read = ModelFile.ReadHeader(path);
        Assert.Equal(header.ModelType, read.ModelType);
        Assert.Equal(header.Info.ClassNames, read.Info.ClassNames);
        Assert.Equal(header.Info.Provenance, read.Info.Provenance);
    }

    [Fact]
    public void The_file_is_plain_safetensors_with_string_metadata()
    {
        Synthetic.EnsureTorch();
        using var folder = new TempDirectory();
        string path = folder.File("simple.safetensors");
        using var model = new SimpleCnn();
        // Non-ASCII names make the header's byte length differ from its character length.
        var info = new ModelInfo([1, 28, 28], Enumerable.Range(0, 10).Select(i => $"Klasse {i} – größer").ToArray(), new ChannelStatistics([0.5f], [0.25f]));

        ModelFile.Save(model, path, info);

        byte[] bytes = File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        using JsonDocument header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength));
        JsonElement metadata = header.RootElement.GetProperty("__metadata__");
        Assert.All(metadata.EnumerateObject(), entry => Assert.Equal(JsonValueKind.String, entry.Value.ValueKind));
        Assert.Equal("pt", metadata.GetProperty("format").GetString());
        Assert.Equal("DeclCnn.Samples.SimpleCnn", metadata.GetProperty("declcnn.model_type").GetString());
        Assert.Equal("[1,28,28]", metadata.GetProperty("declcnn.input_shape").GetString());
        Assert.Equal(info.ClassNames, JsonSerializer.Deserialize<string[]>(metadata.GetProperty("declcnn.class_names").GetString()!));
        Assert.False(metadata.TryGetProperty("declcnn.dataset", out _));
        Assert.Equal([32L, 1, 3, 3], header.RootElement.GetProperty("conv1.weight").GetProperty("shape").EnumerateArray().Select(static s => s.GetInt64()));

        // Any safetensors reader gets the weights: here the plain weight loader.
        using var other = new SimpleCnn();
        other.LoadWeights(path, WeightFormat.Safetensors);
        Fixtures.AssertSameState(Fixtures.Snapshot(model), other);
        Assert.Equal(info.ClassNames, ModelFile.ReadHeader(path).Info.ClassNames);
        Assert.Null(ModelFile.ReadHeader(path).Info.Provenance);
    }

    [Fact]
    public void Another_declaration_is_refused_naming_both_and_the_first_differing_key_and_nothing_is_loaded()
    {
        Synthetic.EnsureTorch();
        using var folder = new TempDirectory();
        string path = folder.File("lenet.safetensors");
        using (var lenet = new LeNet5())
        {
            ModelFile.Save(lenet, path, FashionInfo());
        }

        using var model = new SimpleCnn();
        var before = Fixtures.Snapshot(model);

        var error = Assert.Throws<WeightFileException>(() => ModelFile.Load(model, path));

        Assert.Contains("holds a DeclCnn.Samples.LeNet5 (input [1, 28, 28]) and does not load into a DeclCnn.Samples.SimpleCnn", error.Message, StringComparison.Ordinal);
        Assert.Contains("the first differing key is conv1.weight: file Float32 [6, 1, 5, 5], model Float32 [32, 1, 3, 3]", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Fixtures.AssertSameState(before, model);
    }

    [Fact]
    public void A_declaration_of_another_name_is_refused_even_when_its_shapes_agree()
    {
        Synthetic.EnsureTorch();
        using var folder = new TempDirectory();
        string path = folder.File("tiny.safetensors");
        using (var tiny = new TinyRgbNet())
        {
            ModelFile.Save(tiny, path, new ModelInfo([3, 8, 8], ["a", "b", "c"], new ChannelStatistics([0.5f, 0.5f, 0.5f], [0.2f, 0.2f, 0.2f])));
        }

        using var twin = new TinyRgbTwin();
        var before = Fixtures.Snapshot(twin);

        var error = Assert.Throws<WeightFileException>(() => ModelFile.Load(twin, path));

        Assert.Contains("holds a DeclCnn.Runtime.Tests.Inference.TinyRgbNet (input [3, 8, 8]) and does not load into a DeclCnn.Runtime.Tests.Inference.TinyRgbTwin: their keys and shapes agree", error.Message, StringComparison.Ordinal);
        Assert.Empty(error.Problems);
        Fixtures.AssertSameState(before, twin);
    }

    [Fact]
    public void Truncated_corrupt_empty_and_weights_only_files_are_errors_naming_the_file()
    {
        Synthetic.EnsureTorch();
        using var folder = new TempDirectory();
        string path = folder.File("simple.safetensors");
        using var model = new SimpleCnn();
        ModelFile.Save(model, path, FashionInfo());
        byte[] bytes = File.ReadAllBytes(path);
        var before = Fixtures.Snapshot(model);

        string truncated = folder.File("truncated.safetensors");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        string corrupt = folder.File("corrupt.safetensors");
        byte[] damaged = bytes.ToArray();
        damaged[12] = (byte)'#';   // inside the JSON header
        File.WriteAllBytes(corrupt, damaged);
        string empty = folder.File("empty.safetensors");
        File.WriteAllBytes(empty, []);
        string weightsOnly = folder.File("weights.safetensors");
        model.SaveWeights(weightsOnly, WeightFormat.Safetensors);

        Assert.Contains("is truncated", Assert.Throws<WeightFileException>(() => ModelFile.Load(model, truncated)).Message, StringComparison.Ordinal);
        Assert.Contains($"'{corrupt}' cannot be read as a safetensors file", Assert.Throws<WeightFileException>(() => ModelFile.Load(model, corrupt)).Message, StringComparison.Ordinal);
        Assert.Contains($"'{empty}' is empty", Assert.Throws<WeightFileException>(() => ModelFile.ReadHeader(empty)).Message, StringComparison.Ordinal);
        Assert.Contains($"'{weightsOnly}' is a safetensors file without DeclCnn's model metadata", Assert.Throws<WeightFileException>(() => ModelFile.Load(model, weightsOnly)).Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => ModelFile.Load(model, folder.File("missing.safetensors")));
        Fixtures.AssertSameState(before, model);
    }

    [Fact]
    public void A_failed_save_throws_naming_the_path_and_leaves_no_file()
    {
        Synthetic.EnsureTorch();
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "missing", "model.safetensors");
        using var model = new SimpleCnn();

        var error = Assert.Throws<WeightFileException>(() => ModelFile.Save(model, path, FashionInfo()));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Information_for_a_training_set_takes_its_shape_classes_statistics_and_name()
    {
        var data = new DatasetInfo("Shapes", 3, 8, 8, ["a", "b", "c"], Normalization.None)
        {
            ChannelStatistics = new ChannelStatistics([0.1f, 0.2f, 0.3f], [0.4f, 0.5f, 0.6f]),
        };

        ModelInfo info = ModelInfo.For(data);

        Assert.Equal([3L, 8, 8], info.InputShape);
        Assert.Equal(["a", "b", "c"], info.ClassNames);
        Assert.Equal(data.ChannelStatistics, info.Normalization);
        Assert.Equal("Shapes", info.Provenance?.Dataset);
        Assert.Throws<ArgumentException>(() => new ModelInfo([1, 28, 28], ["a"], data.ChannelStatistics));
        Assert.Throws<ArgumentException>(() => new ModelInfo([28, 28], ["a"], new ChannelStatistics([0f], [1f])));
        Assert.Throws<ArgumentException>(() => new ModelInfo([1, 28, 28], [], new ChannelStatistics([0f], [1f])));
    }
}
