using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Inference;
using DeclCnn.Runtime.Tests.Data;
using DeclCnn.Runtime.Tests.Docs;
using SkiaSharp;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Inference;

/// <summary>
/// Serving needs no libtorch: DeclCnn.ServingProbe, a program that references only DeclCnn.Runtime (so no libtorch is
/// in its folder), classifies images from an exported .onnx file in a process of its own, gives what TorchSharp gives,
/// and finds no torch library mapped into its memory.
/// </summary>
public class OnnxRuntimeServingTests
{
    [Fact]
    public void A_process_without_libtorch_classifies_from_an_onnx_file_as_torchsharp_does()
    {
        Synthetic.EnsureTorch();
        using var folder = new TempDirectory();
        manual_seed(21);
        var info = new ModelInfo([3, 8, 8], ["cat", "dog", "bird"], new ChannelStatistics([0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f]));
        string model = folder.File("tiny.safetensors"), onnx = folder.File("tiny.onnx");
        using (var trained = new TinyRgbNet())
        {
            ModelFile.Save(trained, model, info);
            trained.ExportOnnx(onnx, info);
        }

        var random = new Random(4);
        string[] images = Enumerable.Range(0, 4).Select(i =>
        {
            using SKBitmap bitmap = TestImages.Bitmap(8, 8, (_, _) => new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            string path = folder.File($"{i}.png");
            File.WriteAllBytes(path, TestImages.Png(bitmap));
            return path;
        }).ToArray();
        string probeFolder = ProbeFolder();
        Assert.Empty(Directory.GetFiles(probeFolder, "libtorch*", SearchOption.AllDirectories));

        (int exitCode, string[] lines) = RunProbe(probeFolder, [onnx, .. images, folder.File("missing.png")]);

        Assert.True(exitCode == 0, string.Join(Environment.NewLine, lines));
        Assert.Equal("torch libraries mapped: 0", lines[^1]);
        using var torchSharp = Classifier.Load(new TinyRgbNet(), model, new ClassifierOptions { Engine = ClassifierEngine.TorchSharp });
        for (int i = 0; i < images.Length; i++)
        {
            string[] fields = lines[i].Split('\t');
            Prediction expected = torchSharp.Predict(images[i]);
            Assert.Equal(images[i], fields[0]);
            Assert.Equal(expected.Top.Count, fields.Length - 1);
            for (int k = 0; k < expected.Top.Count; k++)
            {
                string[] score = fields[k + 1].Split(':');
                Assert.Equal(expected.Top[k].Index, int.Parse(score[0], CultureInfo.InvariantCulture));
                Assert.Equal(expected.Top[k].Probability, float.Parse(score[1], CultureInfo.InvariantCulture), 1e-4f);
            }
        }

        Assert.StartsWith($"{folder.File("missing.png")}\tfailed\tImage file '{folder.File("missing.png")}' cannot be read", lines[images.Length], StringComparison.Ordinal);
    }

    /// <summary>The probe's build output, beside this assembly's: tests/DeclCnn.ServingProbe/bin/&lt;configuration&gt;/&lt;framework&gt;.</summary>
    private static string ProbeFolder()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string folder = Path.Combine(DocumentationExamples.Root, "tests", "DeclCnn.ServingProbe", "bin", output.Parent!.Name, output.Name);
        Assert.True(File.Exists(Path.Combine(folder, "DeclCnn.ServingProbe.dll")), $"The probe is not built at {folder}.");
        return folder;
    }

    private static (int ExitCode, string[] Lines) RunProbe(string probeFolder, string[] arguments)
    {
        // The host that runs these tests runs the probe too.
        string host = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(probeFolder, "DeclCnn.ServingProbe.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "The probe did not finish in 2 minutes.");
        string[] lines = (output + error).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (process.ExitCode, lines);
    }
}
