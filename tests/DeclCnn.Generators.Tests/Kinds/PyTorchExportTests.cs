using System;
using DeclCnn.Generators.Tests.Infrastructure;
using Xunit;

namespace DeclCnn.Generators.Tests.Kinds;

/// <summary>
/// The generated PyTorch source: each layer's <c>nn</c> module with PyTorch's argument names and only the values that
/// differ from its defaults, blocks over their <c>__init__</c> parameters, the models' sources with the classes of
/// the blocks they use, each after the ones it uses. Running it in PyTorch is tested in DeclCnn.Runtime.Tests.
/// </summary>
public class PyTorchExportTests
{
    private const StringComparison Ordinal = StringComparison.Ordinal;

    private const string Source = """
        using DeclCnn;
        namespace App;

        [Block]
        [Conv(Block.Channels, 3, Stride = Block.Stride, Padding = 1)]
        internal partial class Skip;

        [Block]
        [WeightInit(Init.KaimingNormal, Mode = FanMode.FanOut, ZeroInitLastBatchNorm = true)]
        [Conv(Block.Channels / 2, 1, Bias = false), BatchNorm, GroupNorm(2, Affine = false), Conv(Block.Channels * 4, 3, Stride = Block.Stride, Padding = 1), BatchNorm]
        [Add(Projection = typeof(Skip)), ReLU]
        internal partial class Residual;

        [Block]
        [Stage<Residual>(Block.Channels, Blocks = 2, Stride = Block.Stride)]
        [Add]
        internal partial class Outer;

        [Block]
        [Conv(Block.Channels, 3, Padding = 1, Bias = false)]
        [Concat]
        internal partial class Grow;

        [Input(3, 8, 8)]
        [WeightInit(Init.Normal, Std = 0.02, Dense = Init.XavierUniform)]
        [ZeroPad(1, 2, 0, 1), Conv(4, 2, 3, Padding = "same", Name = "lambda"), PReLU(PerChannel = true), Stage<Outer>(8, Stride = 2)]
        [Stage<Grow>(2, Blocks = 2), Upsample(2, Mode = "bilinear"), AvgPool(2, CeilMode = true, CountIncludePad = false)]
        [AdaptiveMaxPool(2, 1), Flatten, Dense(10, Name = "type"), LeakyReLU(NegativeSlope = 0.2), Dropout(0.25), Softmax]
        internal partial class Net;
        """;

    [Fact]
    public void A_model_writes_one_module_per_layer_with_its_traced_values_and_PyTorchs_argument_names()
    {
        var net = Generate("App.Net.g.cs");

        Assert.Contains("public static string PyTorchSource { get; } =", net, Ordinal);
        Assert.Contains("\"        self.pad = nn.ZeroPad2d((1, 2, 0, 1))", net, Ordinal);
        Assert.Contains("\"        self._modules['lambda'] = nn.Conv2d(3, 4, kernel_size=(2, 3), padding='same')", net, Ordinal);
        Assert.Contains("\"        self.prelu = nn.PReLU(4)", net, Ordinal);
        Assert.Contains("\"        self.layer1 = nn.Sequential(Outer(4, 8, 2))", net, Ordinal);
        Assert.Contains("\"        self.layer2 = nn.Sequential(Grow(32, 2, 1), Grow(34, 2, 1))", net, Ordinal);
        Assert.Contains("\"        self.upsample = nn.Upsample(scale_factor=2.0, mode='bilinear', align_corners=False)", net, Ordinal);
        Assert.Contains("\"        self.pool = nn.AvgPool2d(kernel_size=2, ceil_mode=True, count_include_pad=False)", net, Ordinal);
        Assert.Contains("\"        self.maxpool = nn.AdaptiveMaxPool2d((2, 1))", net, Ordinal);
        Assert.Contains("\"        self._modules['type'] = nn.Linear(72, 10)", net, Ordinal);
        Assert.Contains("\"        self.leakyrelu = nn.LeakyReLU(0.2)", net, Ordinal);
        Assert.Contains("\"        self.dropout = nn.Dropout(0.25)", net, Ordinal);
        Assert.Contains("\"        self.softmax = nn.Softmax(dim=1)", net, Ordinal);
        Assert.Contains("\"        nn.init.normal_(self._modules['lambda'].weight, std=0.02)\\n\" +", net, Ordinal);
        Assert.Contains("\"        nn.init.xavier_uniform_(self._modules['type'].weight)\\n\" +", net, Ordinal);
        Assert.Contains("\"        x = self._modules['lambda'](x)", net, Ordinal);
        Assert.Contains("\"        return x\\n\";", net, Ordinal);
    }

    [Fact]
    public void A_model_source_defines_each_block_it_uses_once_after_the_blocks_that_block_uses()
    {
        var net = Generate("App.Net.g.cs");

        int skip = net.IndexOf("global::App.Skip.PyTorchClass +", Ordinal);
        int residual = net.IndexOf("global::App.Residual.PyTorchClass +", Ordinal);
        int outer = net.IndexOf("global::App.Outer.PyTorchClass +", Ordinal);
        int grow = net.IndexOf("global::App.Grow.PyTorchClass +", Ordinal);
        int model = net.IndexOf("\"class Net(nn.Module):\\n\"", Ordinal);
        Assert.True(skip > 0 && skip < residual && residual < outer && outer < grow && grow < model, $"order: {skip}, {residual}, {outer}, {grow}, {model}");
        Assert.Equal(skip, net.LastIndexOf("global::App.Skip.PyTorchClass", Ordinal));
    }

    [Fact]
    public void A_block_writes_its_layers_over_its_parameters_its_join_shortcut_and_initialization()
    {
        var residual = Generate("App.Residual.g.cs");
        var outer = Generate("App.Outer.g.cs");
        var grow = Generate("App.Grow.g.cs");

        Assert.Contains("internal const string PyTorchClass =", residual, Ordinal);
        Assert.Contains("\"    def __init__(self, in_channels, channels, stride=1):\\n\" +", residual, Ordinal);
        Assert.Contains("\"        self.conv1 = nn.Conv2d(in_channels, channels // 2, kernel_size=1, bias=False)\\n\" +", residual, Ordinal);
        Assert.Contains("\"        self.gn1 = nn.GroupNorm(2, channels // 2, affine=False)\\n\" +", residual, Ordinal);
        Assert.Contains("\"        self.conv2 = nn.Conv2d(channels // 2, channels * 4, kernel_size=3, stride=stride, padding=1)\\n\" +", residual, Ordinal);
        Assert.Contains("\"        self.downsample = Skip(in_channels, channels * 4, stride)\\n\" +", residual, Ordinal);
        Assert.Contains("\"        nn.init.kaiming_normal_(self.conv2.weight, mode='fan_out', nonlinearity='relu')\\n\" +", residual, Ordinal);
        Assert.Contains("\"        nn.init.zeros_(self.conv2.bias)\\n\" +", residual, Ordinal);
        Assert.Contains("\"        nn.init.zeros_(self.bn2.weight)\\n\" +", residual, Ordinal);
        Assert.Contains("\"        out = out + self.downsample(x)\\n\" +", residual, Ordinal);
        Assert.Contains("\"        out = self.relu(out)\\n\" +", residual, Ordinal);

        Assert.Contains("\"        self.layer1 = nn.Sequential(Residual(in_channels, channels, stride), Residual(channels * 4, channels, 1))\\n\" +", outer, Ordinal);
        Assert.Contains("\"        self.downsample = nn.Sequential(nn.Conv2d(in_channels, channels * 4, kernel_size=1, stride=stride, bias=False), nn.BatchNorm2d(channels * 4)) if stride != 1 or in_channels != channels * 4 else None\\n\" +", outer, Ordinal);
        Assert.Contains("\"        out = out + (x if self.downsample is None else self.downsample(x))\\n\" +", outer, Ordinal);

        Assert.Contains("\"        out = torch.cat([x, out], 1)\\n\" +", grow, Ordinal);
    }

    [Fact]
    public void Without_DeclCnn_Runtime_the_PyTorch_source_is_still_written()
    {
        var result = GeneratorHarness.Run(Source);

        Assert.Empty(result.CompilationDiagnostics);
        Assert.Contains("public static string PyTorchSource { get; } =", result.Source("App.Net.g.cs"), Ordinal);
    }

    private static string Generate(string hintName)
    {
        var result = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(new[] { Source }, referenceRuntime: true));
        Assert.Empty(result.CompilationDiagnostics);
        return result.Source(hintName);
    }
}
