using System.Collections.Generic;
using System.Linq;
using CsCheck;

namespace DeclCnn.Oracle.Tests;

/// <summary>A random network declaration: an input shape and a list of layers.</summary>
internal sealed record Declaration(int Channels, int Height, int Width, IReadOnlyList<OracleLayer> Layers)
{
    public const string ClassName = "OracleNet";

    public string Source() =>
        "using DeclCnn;\n\n"
        + $"[Input({Channels}, {Height}, {Width})]\n"
        + string.Concat(Layers.Select(static l => $"[{l.Attribute()}]\n"))
        + $"public partial class {ClassName};\n";

    public override string ToString() => Source();
}

/// <summary>CsCheck generators over the whole layer-attribute surface.</summary>
internal static class Declarations
{
    private static readonly Gen<int> Small = Gen.Int[1, 4];

    private static readonly Gen<OracleLayer> Conv =
        from outChannels in Gen.Int[1, 8]
        from kernelH in Gen.Int[1, 11]
        from square in Gen.Bool
        from kernelW in Gen.Int[1, 11]
        from strideH in Small
        from strideW in Small
        from paddingKind in Gen.Int[0, 5]
        from padH in Gen.Int[0, 3]
        from padW in Gen.Int[0, 3]
        from dilationH in Gen.Int[1, 3]
        from dilationW in Gen.Int[1, 3]
        from groups in Gen.OneOf(Gen.Const(1), Gen.Const(1), Gen.Int[1, 4])
        from bias in Gen.Bool
        select (OracleLayer)new ConvLayer(
            outChannels, kernelH, square ? kernelH : kernelW, strideH, square ? strideH : strideW,
            paddingKind switch { 0 => "same", 1 => "valid", _ => null }, padH, square ? padH : padW,
            dilationH, square ? dilationH : dilationW, groups, bias);

    private static readonly Gen<OracleLayer> ConvTranspose =
        from outChannels in Gen.Int[1, 8]
        from kernelH in Gen.Int[1, 5]
        from square in Gen.Bool
        from kernelW in Gen.Int[1, 5]
        from strideH in Small
        from strideW in Small
        from padH in Gen.Int[0, 3]
        from padW in Gen.Int[0, 3]
        from outputPadding in Gen.Int[0, 2]
        from dilationH in Gen.Int[1, 3]
        from dilationW in Gen.Int[1, 3]
        from groups in Gen.OneOf(Gen.Const(1), Gen.Const(1), Gen.Int[1, 4])
        from bias in Gen.Bool
        select (OracleLayer)new ConvTransposeLayer(
            outChannels, kernelH, square ? kernelH : kernelW, strideH, square ? strideH : strideW, padH, square ? padH : padW,
            outputPadding, dilationH, square ? dilationH : dilationW, groups, bias);

    private static readonly Gen<OracleLayer> Pool =
        from max in Gen.Bool
        from kernelH in Gen.Int[1, 5]
        from square in Gen.Bool
        from kernelW in Gen.Int[1, 5]
        from defaultStride in Gen.Bool
        from strideH in Small
        from strideW in Small
        from padH in Gen.Int[0, 2]
        from padW in Gen.Int[0, 2]
        from dilation in Gen.Int[1, 2]
        from ceilMode in Gen.Bool
        from countIncludePad in Gen.Bool
        select (OracleLayer)new PoolLayer(
            max, kernelH, square ? kernelH : kernelW,
            defaultStride ? null : strideH, defaultStride ? null : (square ? strideH : strideW),
            padH, square ? padH : padW, max ? dilation : 1, max ? dilation : 1, ceilMode, countIncludePad);

    private static readonly Gen<OracleLayer> Adaptive =
        from height in Gen.Int[1, 5]
        from width in Gen.Int[1, 5]
        from global in Gen.Bool
        select (OracleLayer)new AdaptivePoolLayer(global ? 1 : height, global ? 1 : width, global);

    private static readonly Gen<OracleLayer> AdaptiveMax =
        from height in Gen.Int[1, 9]
        from width in Gen.Int[1, 9]
        from global in Gen.Bool
        select (OracleLayer)new AdaptiveMaxPoolLayer(global ? 1 : height, global ? 1 : width, global);

    private static readonly Gen<OracleLayer> Dense =
        from outFeatures in Gen.Int[1, 16]
        from declared in Gen.Int[0, 3]
        from inFeatures in Gen.Int[1, 300]
        select (OracleLayer)new DenseLayer(outFeatures, declared == 0 ? inFeatures : null);

    private static readonly Gen<OracleLayer> Activation =
        from kind in Gen.OneOf("ReLU", "LeakyReLU", "Sigmoid", "Tanh", "SiLU", "GELU", "Identity", "Softmax", "LogSoftmax")
        from dim in Gen.Int[-5, 4]
        select (OracleLayer)new ActivationLayer(kind, dim);

    private static readonly Gen<OracleLayer> Layer = Gen.Frequency(
        (6, Conv),
        (2, ConvTranspose),
        (4, Pool),
        (1, Adaptive),
        (1, AdaptiveMax),
        (2, Gen.Const<OracleLayer>(new FlattenLayer())),
        (3, Dense),
        (2, Gen.Const<OracleLayer>(new BatchNormLayer())),
        (1, Gen.Select(Gen.Int[1, 4], Gen.Bool, static (groups, affine) => (OracleLayer)new GroupNormLayer(groups, affine))),
        (1, Gen.OneOf(0.0, 0.3, 0.5, 1.0, 1.5, -0.1).Select(static p => (OracleLayer)new DropoutLayer(p))),
        (3, Activation),
        (1, Gen.Select(Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 3], static (l, r, t, b) => (OracleLayer)new ZeroPadLayer(l, r, t, b))),
        (1, Gen.OneOf(0.0, 0.5, 1.0, 1.5).Select(static p => (OracleLayer)new Dropout2dLayer(p))),
        (1, Gen.OneOf(1.0, 0.5).Select(static alpha => (OracleLayer)new ELULayer(alpha))),
        (1, Gen.Bool.Select(static perChannel => (OracleLayer)new PReLULayer(perChannel))),
        (1, Gen.Select(Gen.OneOf(0.4, 0.5, 1.5, 2.0, 3.0), Gen.OneOf("nearest", "bilinear"), static (s, m) => (OracleLayer)new UpsampleLayer(s, m))),
        (1, Gen.Int[1, 5].Select(static size => (OracleLayer)new LocalResponseNormLayer(size))));

    public static readonly Gen<Declaration> Network =
        from channels in Gen.Int[1, 4]
        from height in Gen.OneOf(Gen.Int[1, 40], Gen.Int[1, 40], Gen.Int[41, 256])
        from square in Gen.Bool
        from width in Gen.Int[1, 40]
        from layers in Layer.Array[1, 6]
        select new Declaration(channels, height, square ? height : width, layers);
}
