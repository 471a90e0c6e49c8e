using System;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Data.Cifar;
using TorchSharp;
using Xunit;

namespace DeclCnn.Runtime.Tests.Data;

public sealed class CifarTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public CifarTests() => Synthetic.EnsureTorch();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Cifar10_reads_the_official_layout_into_one_tensor_per_set()
    {
        CifarFiles.WriteCifar10(temp.Path, perFile: 2);

        using TrainTestSplit data = Cifar10.LoadFrom(temp.Path);

        Assert.Equal([10L, 3, 32, 32], data.Train.Images.shape);
        Assert.Equal(torch.ScalarType.Byte, data.Train.Images.dtype);
        Assert.Equal([3L], data.Test.Labels.shape);
        // Training files are concatenated in order 1..5; file k holds images 10k and 10k+1 labelled (k+i) mod 10.
        Assert.Equal([1L, 2, 2, 3, 3, 4, 4, 5, 5, 6], data.Train.Labels.data<long>().ToArray());
        Assert.Equal([9L, 0, 4], data.Test.Labels.data<long>().ToArray());
        Assert.Equal(CifarFiles.Pixels(31), data.Train.Images[5].data<byte>().ToArray());
        Assert.Equal(CifarFiles.Pixels(102), data.Test.Images[2].data<byte>().ToArray());
        Assert.Equal(31, data.Train.Images[5, 0, 31, 31].item<byte>());
        Assert.Equal(32, data.Train.Images[5, 1, 0, 0].item<byte>());
        Assert.Equal(unchecked((byte)((((2 * 32) + 3) * 7) + 31)), data.Train.Images[5, 2, 2, 3].item<byte>());
        Assert.Equal("truck", data.Train.Info.ClassNames[9]);
        Assert.Equal((3, 32, 32), (data.Test.Info.Channels, data.Test.Info.Height, data.Test.Info.Width));
    }

    [Fact]
    public void Cifar10_without_a_meta_file_uses_the_official_class_names()
    {
        CifarFiles.WriteCifar10(temp.Path, meta: false);

        using TrainTestSplit data = Cifar10.LoadFrom(temp.Path);

        Assert.Equal(Cifar10.Info.ClassNames, data.Train.Info.ClassNames);
        Assert.Equal("airplane", data.Train.Info.ClassNames[0]);
    }

    [Fact]
    public void Cifar10_meta_file_with_the_wrong_number_of_names_is_reported()
    {
        CifarFiles.WriteCifar10(temp.Path);
        string meta = temp.File("batches.meta.txt");
        File.WriteAllText(meta, "airplane\nautomobile\n");

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.LoadFrom(temp.Path));

        Assert.Contains($"'{meta}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("names 2 classes; expected 10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_training_file_is_named()
    {
        CifarFiles.WriteCifar10(temp.Path);
        File.Delete(temp.File("data_batch_3.bin"));

        var error = Assert.Throws<FileNotFoundException>(() => Cifar10.LoadFrom(temp.Path));

        Assert.Equal(temp.File("data_batch_3.bin"), error.FileName);
        Assert.Contains("data_batch_3.bin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_file_reports_the_record_length()
    {
        CifarFiles.WriteCifar10(temp.Path);
        string path = temp.File("data_batch_2.bin");
        byte[] content = File.ReadAllBytes(path);
        File.WriteAllBytes(path, content[..^100]);

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.LoadFrom(temp.Path));

        Assert.Contains($"CIFAR-10 file '{path}' has 6046 bytes, not a whole number of 3073-byte records (1 label byte + 3072 pixel bytes): 1 records and 2973 bytes more",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cifar100_file_read_as_cifar10_has_the_wrong_record_length()
    {
        CifarFiles.WriteCifar10(temp.Path);
        CifarFiles.WriteCifar100(temp.Path);
        File.Copy(temp.File("train.bin"), temp.File("test_batch.bin"), overwrite: true);

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.LoadFrom(temp.Path));

        Assert.Contains(temp.File("test_batch.bin"), error.Message, StringComparison.Ordinal);
        Assert.Contains("not a whole number of 3073-byte records", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_is_reported()
    {
        CifarFiles.WriteCifar10(temp.Path);
        File.WriteAllBytes(temp.File("test_batch.bin"), []);

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.LoadFrom(temp.Path));

        Assert.Contains($"CIFAR-10 file '{temp.File("test_batch.bin")}' is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_out_of_range_names_file_record_and_value()
    {
        CifarFiles.WriteCifar10(temp.Path);
        string path = temp.File("data_batch_4.bin");
        CifarFiles.Write(path, ([3], 0), ([10], 1));

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.LoadFrom(temp.Path));

        Assert.Contains($"CIFAR-10 file '{path}': record 1 (byte offset 3073) has label 10, outside 0..9.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_file_is_reported_before_anything_is_created_or_cached()
    {
        CifarFiles.WriteCifar10(temp.Path);
        CifarFiles.Write(temp.File("test_batch.bin"), ([200], 0));

        Assert.Throws<InvalidDataException>(() => Cifar10.LoadFrom(temp.Path));

        Assert.False(File.Exists(temp.File(DatasetStatistics.CacheFileName)));
    }

    [Fact]
    public void Cifar100_reads_fine_or_coarse_labels()
    {
        CifarFiles.WriteCifar100(temp.Path);

        using TrainTestSplit fine = Cifar100.LoadFrom(temp.Path);
        using TrainTestSplit coarse = Cifar100.LoadFrom(temp.Path, Cifar100Labels.Coarse);

        Assert.Equal([30L, 99, 4], fine.Train.Labels.data<long>().ToArray());
        Assert.Equal([31L], fine.Test.Labels.data<long>().ToArray());
        Assert.Equal([4L, 19, 0], coarse.Train.Labels.data<long>().ToArray());
        Assert.Equal([11L], coarse.Test.Labels.data<long>().ToArray());
        Assert.Equal(CifarFiles.Pixels(1), fine.Train.Images[1].data<byte>().ToArray());
        Assert.Equal(CifarFiles.Pixels(50), coarse.Test.Images[0].data<byte>().ToArray());
        Assert.Equal(100, fine.Train.Info.ClassNames.Count);
        Assert.Equal("worm", fine.Train.Info.ClassNames[99]);
        Assert.Equal(20, coarse.Train.Info.ClassNames.Count);
        Assert.Equal("vehicles_2", coarse.Train.Info.ClassNames[19]);
        Assert.Equal(100, Cifar100.FineClassNames.Distinct().Count());
    }

    [Fact]
    public void Cifar100_class_name_files_are_used_when_present()
    {
        CifarFiles.WriteCifar100(temp.Path);
        File.WriteAllLines(temp.File("coarse_label_names.txt"), Enumerable.Range(0, 20).Select(i => $"super{i}"));

        using TrainTestSplit coarse = Cifar100.LoadFrom(temp.Path, Cifar100Labels.Coarse);

        Assert.Equal("super19", coarse.Train.Info.ClassNames[19]);
    }

    [Theory]
    [InlineData(20, 5, "coarse label 20, outside 0..19")]
    [InlineData(3, 100, "fine label 100, outside 0..99")]
    public void Cifar100_checks_both_labels_whichever_is_used(byte coarseLabel, byte fineLabel, string expected)
    {
        CifarFiles.WriteCifar100(temp.Path);
        string path = temp.File("test.bin");
        CifarFiles.Write(path, ([0, 0], 0), ([coarseLabel, fineLabel], 1));

        foreach (Cifar100Labels labels in new[] { Cifar100Labels.Fine, Cifar100Labels.Coarse })
        {
            var error = Assert.Throws<InvalidDataException>(() => Cifar100.LoadFrom(temp.Path, labels));
            Assert.Contains($"CIFAR-100 file '{path}': record 1 (byte offset", error.Message, StringComparison.Ordinal);
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_cifar10_file_read_as_cifar100_has_the_wrong_record_length()
    {
        CifarFiles.WriteCifar100(temp.Path);
        CifarFiles.Write(temp.File("train.bin"), ([1], 0), ([2], 1));

        var error = Assert.Throws<InvalidDataException>(() => Cifar100.LoadFrom(temp.Path));

        Assert.Contains(
            $"CIFAR-100 file '{temp.File("train.bin")}' has 6146 bytes, not a whole number of 3074-byte records (2 label bytes (coarse label, fine label) + 3072 pixel bytes)",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_cifar100_files_are_named()
    {
        var error = Assert.Throws<FileNotFoundException>(() => Cifar100.LoadFrom(temp.Path));

        Assert.Equal(temp.File("train.bin"), error.FileName);
    }

    [Fact]
    public void Load_uses_the_dataset_folder_under_the_data_root()
    {
        string directory = Directory.CreateDirectory(Path.Combine(temp.Path, Cifar10.FolderName)).FullName;
        CifarFiles.WriteCifar10(directory, perFile: 1);

        using TrainTestSplit data = Cifar10.Load(temp.Path);

        Assert.Equal(5, data.Train.Count);
        Assert.Equal(Path.Combine(temp.Path, "cifar-100-binary"), Cifar100.GetDirectory(temp.Path));
    }
}
