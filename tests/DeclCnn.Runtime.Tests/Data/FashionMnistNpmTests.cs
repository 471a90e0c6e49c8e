using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using DeclCnn.Runtime.Data;
using Xunit;

namespace DeclCnn.Runtime.Tests.Data;

/// <summary>The npm conversion on a tiny package-shaped folder: 10 classes of 4 images, split 3 + 1.</summary>
public sealed class FashionMnistNpmTests : IDisposable
{
    private const int ImagesPerClass = 4;
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Splits_each_class_file_in_order_and_skips_empty_entries()
    {
        string package = WritePackage();
        string output = temp.File("out");

        FashionMnistNpm.Convert(package, output, trainPerClass: 3, testPerClass: 1);

        (IdxImages trainImages, byte[] trainLabels) = ReadSet(output, MnistLayout.TrainImages, MnistLayout.TrainLabels);
        (IdxImages testImages, byte[] testLabels) = ReadSet(output, MnistLayout.TestImages, MnistLayout.TestLabels);
        Assert.Equal((30, 28, 28), (trainImages.Count, trainImages.Rows, trainImages.Columns));
        Assert.Equal(10, testImages.Count);
        // Each image carries its class in pixel 0 and its position among the class's non-empty entries in pixel 1.
        Assert.Equal(
            Enumerable.Range(0, 10).SelectMany(c => new[] { (c, 0), (c, 1), (c, 2) }).Order(),
            Identities(trainImages).Order());
        Assert.Equal(Enumerable.Range(0, 10).Select(c => (c, 3)), Identities(testImages).Order());
        Assert.Equal(Identities(trainImages).Select(id => (byte)id.Class), trainLabels);
        Assert.Equal(Identities(testImages).Select(id => (byte)id.Class), testLabels);
    }

    [Fact]
    public void Interleaves_classes_deterministically()
    {
        string package = WritePackage();

        FashionMnistNpm.Convert(package, temp.File("a"), 3, 1);
        FashionMnistNpm.Convert(package, temp.File("b"), 3, 1);

        foreach (string name in MnistLayout.FileNames)
        {
            Assert.Equal(File.ReadAllBytes(temp.File($"a/{name}.gz")), File.ReadAllBytes(temp.File($"b/{name}.gz")));
        }

        byte[] labels = IdxReader.ReadLabels(temp.File($"a/{MnistLayout.TrainLabels}.gz"), 10).ToArray();
        Assert.NotEqual(labels.Order(), labels);
    }

    [Fact]
    public void Wrong_number_of_images_names_the_class_file()
    {
        string package = WritePackage();

        var error = Assert.Throws<InvalidDataException>(() => FashionMnistNpm.Convert(package, temp.File("out"), 3, 2));

        Assert.Contains(Path.Combine(package, "src", "clothes", "0.json"), error.Message, StringComparison.Ordinal);
        Assert.Contains("holds 4 non-empty images, expected 5", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.File("out")));
    }

    public static TheoryData<string, string> MalformedEntries => new()
    {
        { "[1,2,3]", "entry 1 has 3 values, expected 784" },
        { "[256" + string.Concat(Enumerable.Repeat(",0", 783)) + "]", "entry 1, value 0 is 256, not an integer in 0..255" },
        { "[0" + string.Concat(Enumerable.Repeat(",0", 782)) + ",0.5]", "entry 1, value 783 is 0.5, not an integer in 0..255" },
        { "7", "entry 1 is a Number, not an array of pixels" },
    };

    [Theory]
    [MemberData(nameof(MalformedEntries))]
    public void Malformed_entry_names_the_file_and_entry(string entry, string expected)
    {
        string package = WritePackage();
        string path = Path.Combine(package, "src", "clothes", "5.json");
        File.WriteAllText(path, $"{{\"data\":[{ImageJson(5, 0)},{entry}]}}");

        var error = Assert.Throws<InvalidDataException>(() => FashionMnistNpm.Convert(package, temp.File("out"), 3, 1));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Partial_set_of_files_is_refused_rather_than_mixed()
    {
        string directory = Path.Combine(temp.Path, FashionMnist.FolderName);
        Directory.CreateDirectory(directory);
        IdxWriter.WriteLabels(Path.Combine(directory, MnistLayout.TrainLabels + ".gz"), new byte[] { 1 });

        var error = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(temp.Path));

        Assert.Contains(directory, error.Message, StringComparison.Ordinal);
        Assert.Contains($"missing: {MnistLayout.TrainImages}, {MnistLayout.TestImages}, {MnistLayout.TestLabels}", error.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<(int Class, int Index)> Identities(IdxImages images)
    {
        byte[] pixels = images.Pixels.ToArray();
        return Enumerable.Range(0, images.Count).Select(i => ((int)pixels[i * 784], (int)pixels[i * 784 + 1]));
    }

    private static (IdxImages Images, byte[] Labels) ReadSet(string directory, string images, string labels) =>
        (IdxReader.ReadImages(Path.Combine(directory, images + ".gz")),
         IdxReader.ReadLabels(Path.Combine(directory, labels + ".gz"), 10).ToArray());

    /// <summary>Writes src/clothes/{0..9}.json; class 0 also has empty entries at the front, the middle and the end, like the real package.</summary>
    private string WritePackage()
    {
        string clothes = Path.Combine(temp.Path, "package", "src", "clothes");
        Directory.CreateDirectory(clothes);
        for (int label = 0; label < 10; label++)
        {
            List<string> entries = Enumerable.Range(0, ImagesPerClass).Select(i => ImageJson(label, i)).ToList();
            if (label == 0)
            {
                entries.Insert(2, "[]");
                entries.Insert(0, "[]");
                entries.Add("[]");
            }

            File.WriteAllText(Path.Combine(clothes, $"{label}.json"), $"{{\"data\":[{string.Join(",", entries)}]}}", Encoding.UTF8);
        }

        return Path.Combine(temp.Path, "package");
    }

    private static string ImageJson(int label, int index)
    {
        IEnumerable<int> pixels = new[] { label, index }.Concat(Enumerable.Range(2, 782).Select(p => (p * 31 + label) % 256));
        return $"[{string.Join(",", pixels)}]";
    }
}
