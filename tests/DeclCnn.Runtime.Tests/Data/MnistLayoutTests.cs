using System;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using TorchSharp;
using Xunit;

namespace DeclCnn.Runtime.Tests.Data;

public sealed class MnistLayoutTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public MnistLayoutTests() => Synthetic.EnsureTorch();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Loads_the_four_files_into_one_tensor_per_set()
    {
        WriteSet(MnistLayout.TrainImages, MnistLayout.TrainLabels, count: 5, labelOffset: 0, gzip: true);
        WriteSet(MnistLayout.TestImages, MnistLayout.TestLabels, count: 2, labelOffset: 7, gzip: false);

        using TrainTestSplit split = MnistLayout.Load(temp.Path, FashionMnist.Info);

        Assert.Equal([5L, 1, 28, 28], split.Train.Images.shape);
        Assert.Equal(torch.ScalarType.Byte, split.Train.Images.dtype);
        Assert.Equal(torch.ScalarType.Int64, split.Train.Labels.dtype);
        Assert.Equal([0L, 1, 2, 3, 4], split.Train.Labels.data<long>().ToArray());
        Assert.Equal([7L, 8], split.Test.Labels.data<long>().ToArray());
        Assert.Equal(3, split.Train.Images[3, 0, 27, 27].item<byte>());
        Assert.Same(FashionMnist.Info, split.Test.Info);
    }

    [Fact]
    public void Gzip_file_is_preferred_over_raw()
    {
        WriteSet(MnistLayout.TrainImages, MnistLayout.TrainLabels, count: 1, labelOffset: 0, gzip: false);
        IdxWriter.WriteLabels(temp.File(MnistLayout.TrainLabels + ".gz"), new byte[] { 1 });

        Assert.Equal(temp.File(MnistLayout.TrainLabels + ".gz"), MnistLayout.Find(temp.Path, MnistLayout.TrainLabels));
        Assert.Equal(temp.File(MnistLayout.TrainImages), MnistLayout.Find(temp.Path, MnistLayout.TrainImages));
    }

    [Fact]
    public void Image_and_label_count_mismatch_names_both_files()
    {
        WriteSet(MnistLayout.TrainImages, MnistLayout.TrainLabels, count: 3, labelOffset: 0, gzip: true);
        WriteSet(MnistLayout.TestImages, MnistLayout.TestLabels, count: 2, labelOffset: 0, gzip: true);
        IdxWriter.WriteLabels(temp.File(MnistLayout.TestLabels + ".gz"), new byte[] { 1, 2, 3 });

        var error = Assert.Throws<InvalidDataException>(() => MnistLayout.Load(temp.Path, FashionMnist.Info));

        Assert.Contains(temp.File(MnistLayout.TestImages + ".gz"), error.Message, StringComparison.Ordinal);
        Assert.Contains(temp.File(MnistLayout.TestLabels + ".gz"), error.Message, StringComparison.Ordinal);
        Assert.Contains("2 images but 3 labels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Images_of_the_wrong_size_are_reported()
    {
        IdxWriter.WriteImages(temp.File(MnistLayout.TrainImages + ".gz"), new IdxImages(1, 32, 32, new byte[32 * 32]));
        IdxWriter.WriteLabels(temp.File(MnistLayout.TrainLabels + ".gz"), new byte[] { 1 });

        var error = Assert.Throws<InvalidDataException>(() => MnistLayout.Load(temp.Path, FashionMnist.Info));

        Assert.Contains(temp.File(MnistLayout.TrainImages + ".gz"), error.Message, StringComparison.Ordinal);
        Assert.Contains("32x32 images; Fashion-MNIST has 1x28x28", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_named()
    {
        WriteSet(MnistLayout.TrainImages, MnistLayout.TrainLabels, count: 1, labelOffset: 0, gzip: true);

        var error = Assert.Throws<FileNotFoundException>(() => MnistLayout.Load(temp.Path, FashionMnist.Info));

        Assert.Contains(MnistLayout.TestImages, error.Message, StringComparison.Ordinal);
        Assert.Contains(temp.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FashionMnist_uses_existing_files_under_the_data_root()
    {
        string directory = Path.Combine(temp.Path, FashionMnist.FolderName);
        Directory.CreateDirectory(directory);
        foreach ((string images, string labels, int count) in new[] { (MnistLayout.TrainImages, MnistLayout.TrainLabels, 4), (MnistLayout.TestImages, MnistLayout.TestLabels, 2) })
        {
            IdxWriter.WriteImages(Path.Combine(directory, images + ".gz"), new IdxImages(count, 28, 28, new byte[count * 784]));
            IdxWriter.WriteLabels(Path.Combine(directory, labels + ".gz"), Enumerable.Range(0, count).Select(i => (byte)i).ToArray());
        }

        using TrainTestSplit split = FashionMnist.Load(temp.Path, progress: line => Assert.Fail($"unexpected conversion: {line}"));

        Assert.Equal((4L, 2L), (split.Train.Count, split.Test.Count));
        Assert.Equal("Ankle boot", split.Train.Info.ClassNames[9]);
    }

    private void WriteSet(string imagesName, string labelsName, int count, int labelOffset, bool gzip)
    {
        string suffix = gzip ? ".gz" : "";
        byte[] pixels = Enumerable.Range(0, count).SelectMany(i => Enumerable.Repeat((byte)i, 784)).ToArray();
        IdxWriter.WriteImages(temp.File(imagesName + suffix), new IdxImages(count, 28, 28, pixels));
        IdxWriter.WriteLabels(temp.File(labelsName + suffix), Enumerable.Range(labelOffset, count).Select(i => (byte)i).ToArray());
    }
}
