using System.IO;
using DeclCnn.Runtime.Interchange.Onnx;
using DeclCnn.Runtime.Tests.Data;
using DeclCnn.Samples;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Interchange.Onnx;

/// <summary>What ONNX cannot express is refused with the layer's name; a file that cannot be written leaves nothing behind.</summary>
public class ExportRefusalTests
{
    [Fact]
    public void Adaptive_pooling_to_a_size_that_does_not_divide_the_input_is_refused_naming_the_layer()
    {
        using var module = nn.Sequential(("stage", nn.Sequential(("pool", nn.AdaptiveAvgPool2d([3, 3])))));
        var onnx = new OnnxGraphBuilder(module, "Pooled", 2, 5, 5);

        var error = Assert.Throws<OnnxExportException>(() =>
        {
            using (onnx.Scope("stage"))
            {
                onnx.AdaptiveAvgPool(onnx.Input, "pool", inputSize: [5, 5], outputSize: [3, 3]);
            }
        });

        Assert.Equal(
            "Cannot export layer 'stage.pool' of Pooled to ONNX: AdaptiveAvgPool from 5x5 to 3x3 pools windows of unequal sizes, " +
            "which no ONNX operator does. Use an output size that divides the input size (or 1x1), or a fixed pooling layer.",
            error.Message);
    }

    [Fact]
    public void LocalResponseNorm_with_an_even_size_is_refused_naming_the_layer()
    {
        using var module = nn.Sequential(("lrn", nn.LocalResponseNorm(4)));
        var onnx = new OnnxGraphBuilder(module, "Normalized", 6, 3, 3);

        var error = Assert.Throws<OnnxExportException>(() => onnx.LocalResponseNorm(onnx.Input, "lrn", 4));

        Assert.StartsWith("Cannot export layer 'lrn' of Normalized to ONNX: LocalResponseNorm with an even size (4)", error.Message);
    }

    [Fact]
    public void A_layer_name_the_module_does_not_have_is_named()
    {
        using var network = new SimpleCnn();
        var onnx = new OnnxGraphBuilder(network, nameof(SimpleCnn), 1, 28, 28);

        var error = Assert.Throws<OnnxExportException>(() => onnx.Conv(onnx.Input, "conv9"));

        Assert.Contains("'conv9.weight'", error.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_that_cannot_be_written_is_named_and_no_file_is_left()
    {
        using var folder = new TempDirectory();
        using var network = new SimpleCnn();
        var onnx = new OnnxGraphBuilder(network, nameof(SimpleCnn), 1, 28, 28);
        var x = onnx.Conv(onnx.Input, "conv1", pads: [1, 1, 1, 1]);
        string missingFolder = Path.Combine(folder.Path, "missing", "model.onnx");
        string existingFolder = Directory.CreateDirectory(folder.File("model.onnx")).FullName;

        var missing = Assert.Throws<OnnxExportException>(() => onnx.Export(x, [32, 28, 28], missingFolder));
        var occupied = Assert.Throws<OnnxExportException>(() => onnx.Export(x, [32, 28, 28], existingFolder));

        Assert.StartsWith($"Cannot write the ONNX model of SimpleCnn to '{missingFolder}'", missing.Message, System.StringComparison.Ordinal);
        Assert.StartsWith($"Cannot write the ONNX model of SimpleCnn to '{existingFolder}'", occupied.Message, System.StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories));
    }
}
