using System;
using System.Linq;
using DeclCnn.Generators.Tests.Infrastructure;
using Xunit;

namespace DeclCnn.Generators.Tests.Kinds;

/// <summary>
/// The generated ONNX export: written where DeclCnn.Runtime is referenced (and only there), one builder call per
/// layer with the values known at compile time, blocks with the values of each use.
/// </summary>
public class OnnxExportTests
{
    private const StringComparison Ordinal = StringComparison.Ordinal;

    private const string Source = """
        using DeclCnn;
        namespace App;

        [Block]
        [Conv(Block.Channels, 3, Stride = Block.Stride, Padding = 1), GroupNorm(2)]
        [Add, AdaptiveAvgPool(2)]
        public partial class Residual;

        [Input(3, 8, 8)]
        [ZeroPad(1, 2, 0, 1), Conv(4, 2, Padding = "same"), PReLU(PerChannel = true), Stage<Residual>(8, Stride = 2)]
        [Upsample(2, Mode = "bilinear"), AdaptiveMaxPool(2, 1), Flatten, Dense(10), PReLU]
        public partial class Net;
        """;

    [Fact]
    public void A_model_writes_one_builder_call_per_layer_with_its_traced_values()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(new[] { Source }, referenceRuntime: true));
        Assert.Empty(result.CompilationDiagnostics);
        var net = result.Source("App.Net.g.cs");

        Assert.Contains("partial class Net : global::TorchSharp.torch.nn.Module<global::TorchSharp.torch.Tensor, global::TorchSharp.torch.Tensor>, global::DeclCnn.Runtime.Interchange.Onnx.IOnnxExportable", net, Ordinal);
        Assert.Contains("public byte[] ToOnnx(global::DeclCnn.Runtime.Inference.ModelInfo? info = null)", net, Ordinal);
        Assert.Contains("public void ExportOnnx(string path, global::DeclCnn.Runtime.Inference.ModelInfo? info = null) => global::DeclCnn.Runtime.Interchange.Onnx.OnnxGraphBuilder.Write(ToOnnx(info), \"Net\", path);", net, Ordinal);
        Assert.Contains("var onnx = new global::DeclCnn.Runtime.Interchange.Onnx.OnnxGraphBuilder(this, \"Net\", 3, 8, 8);", net, Ordinal);
        Assert.Contains("x = onnx.ZeroPad(x, \"pad\", left: 1, right: 2, top: 0, bottom: 1);", net, Ordinal);
        Assert.Contains("x = onnx.Conv(x, \"conv1\", pads: new long[] { 0, 0, 1, 1 });", net, Ordinal);
        Assert.Contains("x = onnx.PRelu(x, \"prelu1\");", net, Ordinal);
        Assert.Contains("x = global::App.Residual.ExportOnnx(onnx, x, \"0\", 4, 8, 2);", net, Ordinal);
        Assert.Contains("x = onnx.Upsample(x, \"upsample\", scale: 2.0, mode: \"bilinear\");", net, Ordinal);
        Assert.Contains("x = onnx.AdaptiveMaxPool(x, \"maxpool\", inputSize: new long[] { 4, 4 }, outputSize: new long[] { 2, 1 });", net, Ordinal);
        Assert.Contains("x = onnx.PRelu(x, \"prelu2\", rank: 2);", net, Ordinal);
        Assert.Contains("return onnx.Serialize(x, new long[] { 10 }, info);", net, Ordinal);
    }

    [Fact]
    public void A_block_writes_its_layers_over_its_parameters_and_projects_its_shortcut_when_the_use_needs_it()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(new[] { Source }, referenceRuntime: true));
        var block = result.Source("App.Residual.g.cs");

        Assert.Contains("internal static global::DeclCnn.Runtime.Interchange.Onnx.OnnxValue ExportOnnx(", block, Ordinal);
        Assert.Contains("x = onnx.Conv(x, \"conv1\", stride: new long[] { stride, stride }, pads: new long[] { 1, 1, 1, 1 });", block, Ordinal);
        Assert.Contains("x = onnx.GroupNorm(x, \"gn1\", groups: 2);", block, Ordinal);
        // The input size depends on the use: only global pooling can be exported, so the builder refuses 2x2.
        Assert.Contains("x = onnx.AdaptiveAvgPool(x, \"avgpool\", inputSize: null, outputSize: new long[] { 2, 2 });", block, Ordinal);
        Assert.Contains("if (stride != 1 || inChannels != channels)", block, Ordinal);
        Assert.Contains("shortcut = onnx.Conv(shortcut, \"0\", stride: new long[] { stride, stride });", block, Ordinal);
        Assert.Contains("x = onnx.Add(x, shortcut, \"add\");", block, Ordinal);
    }

    [Fact]
    public void Without_DeclCnn_Runtime_no_export_is_written()
    {
        var result = GeneratorHarness.Run(Source);

        Assert.Empty(result.CompilationDiagnostics);
        Assert.All(result.GeneratedSources, static s => Assert.DoesNotContain("Onnx", s.SourceText.ToString(), Ordinal));
        Assert.Equal(2, result.GeneratedSources.Count(static s => s.HintName.StartsWith("App.", Ordinal)));
    }
}
