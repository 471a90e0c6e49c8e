using System;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Interchange;
using DeclCnn.Runtime.Tests.Data;
using DeclCnn.Samples;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Interchange;

/// <summary>
/// Bad weight files and unwritable paths: each is a <see cref="WeightFileException"/> that names the file and the
/// problem, and the model is left exactly as it was.
/// </summary>
public class WeightFileErrorTests
{
    [Fact]
    public void Keys_on_one_side_only_are_all_listed_and_nothing_is_loaded()
    {
        using var network = new TinyResNet();
        var before = Fixtures.Snapshot(network);

        var error = Assert.Throws<WeightFileException>(() => network.LoadWeights(Fixtures.PathOf("simple_cnn.pth"), WeightFormat.PyTorch));

        Assert.Contains("simple_cnn.pth", error.Message, StringComparison.Ordinal);
        Assert.Contains("conv1.weight: file Float32 [32, 1, 3, 3], model Float32 [8, 3, 3, 3]", error.Problems);
        Assert.Contains("fc1.weight: in the file Float32 [128, 3136], not in the model", error.Problems);
        Assert.Contains("layer2.0.downsample.1.running_var: in the model Float32 [16], missing from the file", error.Problems);
        // conv1.weight is in both; the other SimpleCnn keys are unexpected and every other TinyResNet key missing.
        Assert.Equal(1 + 7 + (network.state_dict().Count - 1), error.Problems.Count);
        Fixtures.AssertSameState(before, network);
    }

    [Fact]
    public void A_new_head_is_refused_with_both_shapes_and_loads_when_skipped()
    {
        using var network = new TinyResNetFiveClasses();
        var before = Fixtures.Snapshot(network);
        string path = Fixtures.PathOf("tiny_resnet.pth");

        var error = Assert.Throws<WeightFileException>(() => network.LoadWeights(path, WeightFormat.PyTorch));

        Assert.Equal(
            ["fc.weight: file Float32 [10, 16], model Float32 [5, 16]", "fc.bias: file Float32 [10], model Float32 [5]"],
            error.Problems);
        var nonStrict = Assert.Throws<WeightFileException>(() => network.LoadWeights(path, WeightFormat.PyTorch, new WeightLoadOptions { Strict = false }));
        Assert.Equal(error.Problems, nonStrict.Problems);
        Fixtures.AssertSameState(before, network);

        WeightLoadResult result = network.LoadWeights(path, WeightFormat.PyTorch, new WeightLoadOptions { Skip = ["fc"] });

        Assert.Equal(["fc.weight", "fc.bias"], result.Skipped.Order(StringComparer.Ordinal).Reverse());
        using var reference = new TinyResNet();
        reference.LoadWeights(path, WeightFormat.PyTorch);
        foreach (var (key, tensor) in network.state_dict())
        {
            Assert.True(Fixtures.Identical(key.StartsWith("fc.", StringComparison.Ordinal) ? before[key] : reference.state_dict()[key], tensor), key);
        }
    }

    [Fact]
    public void Renamed_keys_load_and_without_the_rename_a_non_strict_load_reports_every_key()
    {
        using var folder = new TempDirectory();
        string path = folder.File("wrapped.safetensors");
        // As DistributedDataParallel saves: the network's keys under "module.".
        var source = new TinyResNet();
        using var wrapper = nn.Sequential(("module", source));
        wrapper.SaveWeights(path, WeightFormat.Safetensors);

        using var network = new TinyResNet();
        var before = Fixtures.Snapshot(network);

        WeightLoadResult unmatched = network.LoadWeights(path, WeightFormat.Safetensors, new WeightLoadOptions { Strict = false });

        Assert.Empty(unmatched.Loaded);
        Assert.Equal(network.state_dict().Keys, unmatched.Missing);
        Assert.All(unmatched.Unexpected, key => Assert.StartsWith("module.", key, StringComparison.Ordinal));
        Fixtures.AssertSameState(before, network);

        network.LoadWeights(path, WeightFormat.Safetensors, new WeightLoadOptions { Rename = static key => key["module.".Length..] });

        Fixtures.AssertSameState(Fixtures.Snapshot(source), network);
    }

    [Theory]
    [InlineData("tiny_resnet_float64.pth", WeightFormat.PyTorch)]
    [InlineData("tiny_resnet_float64.safetensors", WeightFormat.Safetensors)]
    public void A_float64_file_is_refused_key_by_key_without_conversion(string file, WeightFormat format)
    {
        using var network = new TinyResNet();
        var before = Fixtures.Snapshot(network);

        var error = Assert.Throws<WeightFileException>(() => network.LoadWeights(Fixtures.PathOf(file), format));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains("conv1.weight: file Float64 [8, 3, 3, 3], model Float32 [8, 3, 3, 3]; dtypes are not converted", error.Problems);
        // Every floating-point tensor; the int64 batch counters match.
        Assert.Equal(network.state_dict().Count(static entry => entry.Value.is_floating_point()), error.Problems.Count);
        Fixtures.AssertSameState(before, network);
    }

    [Theory]
    [InlineData("tiny_resnet.pth", WeightFormat.Safetensors, "is a PyTorch .pth file (a zip archive, as torch.save writes), not a safetensors file; read it with WeightFormat.PyTorch")]
    [InlineData("tiny_resnet.pth", WeightFormat.TorchSharp, "is a PyTorch .pth file (a zip archive, as torch.save writes), not a file in TorchSharp's format (Module.save); read it with WeightFormat.PyTorch")]
    [InlineData("tiny_resnet.safetensors", WeightFormat.PyTorch, "is a safetensors file, not a PyTorch .pth file (a zip archive, as torch.save writes); read it with WeightFormat.Safetensors")]
    [InlineData("legacy.pth", WeightFormat.PyTorch, "is a bare Python pickle (a .pth written by torch.save before PyTorch 1.6, or with _use_new_zipfile_serialization=False), not a PyTorch .pth file (a zip archive, as torch.save writes); that format is not supported: re-save it with a current torch.save.")]
    public void A_file_of_another_format_is_named_as_such(string file, WeightFormat format, string expected)
    {
        using var network = new TinyResNet();
        var before = Fixtures.Snapshot(network);

        var error = Assert.Throws<WeightFileException>(() => network.LoadWeights(Fixtures.PathOf(file), format));

        Assert.Contains($"'{Fixtures.PathOf(file)}' {expected}", error.Message, StringComparison.Ordinal);
        Fixtures.AssertSameState(before, network);
    }

    [Theory]
    [InlineData(WeightFormat.PyTorch)]
    [InlineData(WeightFormat.Safetensors)]
    public void TorchSharps_own_format_is_named_as_such(WeightFormat format)
    {
        using var folder = new TempDirectory();
        string path = folder.File("weights.dat");
        using var network = new TinyResNet();
        network.save(path);
        var before = Fixtures.Snapshot(network);

        var error = Assert.Throws<WeightFileException>(() => network.LoadWeights(path, format));

        Assert.Contains("is a file in TorchSharp's format (Module.save)", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("read it with WeightFormat.TorchSharp.", error.Message, StringComparison.Ordinal);
        Fixtures.AssertSameState(before, network);
    }

    [Theory]
    [InlineData(new byte[0], "is empty, not a safetensors file.")]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, "is in no format this library reads (it starts with 0102030405060708), not a safetensors file.")]
    public void An_empty_or_unknown_file_is_described(byte[] content, string expected)
    {
        using var folder = new TempDirectory();
        string path = folder.File("weights.safetensors");
        File.WriteAllBytes(path, content);
        using var network = new TinyResNet();

        var error = Assert.Throws<WeightFileException>(() => network.LoadWeights(path, WeightFormat.Safetensors));

        Assert.Equal($"'{path}' {expected}", error.Message);
    }

    [Fact]
    public void A_safetensors_header_whose_length_opens_like_a_pickle_is_read_as_safetensors()
    {
        using var folder = new TempDirectory();
        string path = folder.File("model.safetensors");
        // A header of 640 bytes (0x280): the file opens with 0x80 0x02, the two bytes of a protocol-2 pickle.
        byte[] header = System.Text.Encoding.UTF8.GetBytes("{\"__metadata__\":{\"format\":\"pt\"}}".PadRight(640));
        File.WriteAllBytes(path, [.. BitConverter.GetBytes(640UL), .. header]);

        var metadata = WeightFileReader.ReadSafetensorsMetadata(path);

        Assert.Equal("pt", metadata["format"]);
    }

    [Fact]
    public void A_zip_that_torch_save_did_not_write_is_named_as_such()
    {
        using var folder = new TempDirectory();
        string path = folder.File("weights.pth");
        using (var archive = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
        {
            archive.CreateEntry("notes.txt");
        }

        using var network = new TinyResNet();

        var error = Assert.Throws<WeightFileException>(() => network.LoadWeights(path, WeightFormat.PyTorch));

        Assert.Equal($"'{path}' is a zip archive but not one torch.save wrote: it has 0 data.pkl entries, not one.", error.Message);
    }

    [Theory]
    [InlineData("tiny_resnet.pth", WeightFormat.PyTorch, 0.5)]
    [InlineData("tiny_resnet.pth", WeightFormat.PyTorch, 0.99)]
    [InlineData("tiny_resnet.safetensors", WeightFormat.Safetensors, 0.5)]
    [InlineData("tiny_resnet.safetensors", WeightFormat.Safetensors, 0.99)]
    [InlineData("tiny_resnet.safetensors", WeightFormat.Safetensors, 0.01)]
    public void A_truncated_file_is_reported_with_its_name(string file, WeightFormat format, double kept)
    {
        using var folder = new TempDirectory();
        string path = folder.File(file);
        byte[] whole = File.ReadAllBytes(Fixtures.PathOf(file));
        File.WriteAllBytes(path, whole[..(int)(whole.Length * kept)]);
        using var network = new TinyResNet();
        var before = Fixtures.Snapshot(network);

        var error = Assert.Throws<WeightFileException>(() => network.LoadWeights(path, format));

        Assert.Contains($"'{path}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Fixtures.AssertSameState(before, network);
    }

    [Theory]
    [InlineData("hostile.pth")]
    [InlineData("hostile_protocol4.pth")]
    public void A_pth_that_would_run_code_in_Python_is_refused_before_unpickling(string file)
    {
        using var network = nn.Linear(2, 1);
        var before = Fixtures.Snapshot(network);

        var error = Assert.Throws<WeightFileException>(() => network.LoadWeights(Fixtures.PathOf(file), WeightFormat.PyTorch));

        Assert.Equal(
            $"'{Fixtures.PathOf(file)}' was refused: its pickle refers to posix.system, and a state dict holds only tensors "
            + "and plain containers. Nothing was unpickled. Prefer .safetensors for files from sources you do not trust.",
            error.Message);
        Fixtures.AssertSameState(before, network);
    }

    [Theory]
    [InlineData(WeightFormat.PyTorch)]
    [InlineData(WeightFormat.Safetensors)]
    [InlineData(WeightFormat.TorchSharp)]
    public void An_unwritable_path_is_reported_and_leaves_no_file_behind(WeightFormat format)
    {
        using var folder = new TempDirectory();
        string occupied = folder.File("a-folder");
        Directory.CreateDirectory(occupied);
        using var network = new SimpleCnn();

        var error = Assert.Throws<WeightFileException>(() => network.SaveWeights(occupied, format));
        var missingFolder = Assert.Throws<WeightFileException>(() => network.SaveWeights(folder.File("no/such/folder/w.pth"), format));

        Assert.Contains($"cannot be written to '{occupied}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("no/such/folder/w.pth", missingFolder.Message, StringComparison.Ordinal);
        Assert.Equal([occupied], Directory.GetFileSystemEntries(folder.Path));
        Assert.Empty(Directory.GetFileSystemEntries(occupied));
    }
}
