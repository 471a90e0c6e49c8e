using System;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Oracle.Tests;

/// <summary>
/// A randomly drawn layer: how a user declares it (<see cref="Attribute"/>) and how a user would
/// build the same layer by hand with TorchSharp's factories, sizing it from the tensor that
/// actually reaches it (<see cref="Build"/>). The hand-built path never uses DeclCnn's shape engine.
/// </summary>
internal abstract record OracleLayer
{
    public abstract string Attribute();

    public abstract nn.Module<Tensor, Tensor> Build(long[] inputShape);

    protected static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    protected static string Pair(int height, int width) => height == width ? $"{height}" : $"new[] {{ {height}, {width} }}";
}

internal sealed record ConvLayer(int Out, int KernelH, int KernelW, int StrideH, int StrideW, string? PaddingText, int PadH, int PadW, int DilationH, int DilationW, int Groups, bool Bias) : OracleLayer
{
    public override string Attribute()
    {
        var padding = PaddingText is null ? Pair(PadH, PadW) : $"\"{PaddingText}\"";
        var kernel = KernelH == KernelW ? $"{KernelH}" : $"{KernelH}, {KernelW}";
        return $"Conv({Out}, {kernel}, Stride = {Pair(StrideH, StrideW)}, Padding = {padding}, Dilation = {Pair(DilationH, DilationW)}, Groups = {Groups}, Bias = {(Bias ? "true" : "false")})";
    }

    public override nn.Module<Tensor, Tensor> Build(long[] inputShape)
    {
        var inChannels = inputShape[1];
        return PaddingText switch
        {
            "same" => nn.Conv2d(inChannels, Out, (KernelH, KernelW), Padding.Same, stride: (StrideH, StrideW), dilation: (DilationH, DilationW), groups: Groups, bias: Bias),
            "valid" => nn.Conv2d(inChannels, Out, (KernelH, KernelW), Padding.Valid, stride: (StrideH, StrideW), dilation: (DilationH, DilationW), groups: Groups, bias: Bias),
            _ => nn.Conv2d(inChannels, Out, (KernelH, KernelW), stride: (StrideH, StrideW), padding: (PadH, PadW), dilation: (DilationH, DilationW), groups: Groups, bias: Bias),
        };
    }
}

internal sealed record ConvTransposeLayer(int Out, int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW, int OutputPadding, int DilationH, int DilationW, int Groups, bool Bias) : OracleLayer
{
    public override string Attribute()
    {
        var kernel = KernelH == KernelW ? $"{KernelH}" : $"{KernelH}, {KernelW}";
        return $"ConvTranspose({Out}, {kernel}, Stride = {Pair(StrideH, StrideW)}, Padding = {Pair(PadH, PadW)}, OutputPadding = {OutputPadding}, "
            + $"Dilation = {Pair(DilationH, DilationW)}, Groups = {Groups}, Bias = {(Bias ? "true" : "false")})";
    }

    public override nn.Module<Tensor, Tensor> Build(long[] inputShape)
    {
        // A size of 0 raises "Output size is too small" in TorchSharp, but a negative one aborts the
        // whole process inside oneDNN (dnnl::error), which no test can observe: raise it here instead.
        if (Transposed(inputShape[2], KernelH, StrideH, PadH, DilationH) < 0 || Transposed(inputShape[3], KernelW, StrideW, PadW, DilationW) < 0)
        {
            throw new InvalidOperationException("Output size is too small (negative; libtorch would abort the process).");
        }

        return nn.ConvTranspose2d(inputShape[1], Out, (KernelH, KernelW), stride: (StrideH, StrideW), padding: (PadH, PadW), output_padding: (OutputPadding, OutputPadding), dilation: (DilationH, DilationW), groups: Groups, bias: Bias);
    }

    private long Transposed(long input, int kernel, int stride, int padding, int dilation) =>
        ((input - 1) * stride) - (2 * padding) + (dilation * (kernel - 1)) + OutputPadding + 1;
}

internal sealed record PoolLayer(bool Max, int KernelH, int KernelW, int? StrideH, int? StrideW, int PadH, int PadW, int DilationH, int DilationW, bool CeilMode, bool CountIncludePad) : OracleLayer
{
    public override string Attribute()
    {
        var kernel = KernelH == KernelW ? $"{KernelH}" : $"{KernelH}, {KernelW}";
        var stride = StrideH is null ? string.Empty : $", Stride = {Pair(StrideH.Value, StrideW!.Value)}";
        var dilation = Max ? $", Dilation = {Pair(DilationH, DilationW)}" : string.Empty;
        var countIncludePad = Max ? string.Empty : $", CountIncludePad = {(CountIncludePad ? "true" : "false")}";
        return $"{(Max ? "MaxPool" : "AvgPool")}({kernel}{stride}, Padding = {Pair(PadH, PadW)}{dilation}, CeilMode = {(CeilMode ? "true" : "false")}{countIncludePad})";
    }

    public override nn.Module<Tensor, Tensor> Build(long[] inputShape)
    {
        (long, long)? stride = StrideH is null ? null : (StrideH.Value, StrideW!.Value);
        return Max
            ? nn.MaxPool2d((KernelH, KernelW), stride, (PadH, PadW), (DilationH, DilationW), CeilMode)
            : nn.AvgPool2d((KernelH, KernelW), stride, (PadH, PadW), CeilMode, CountIncludePad);
    }
}

internal sealed record AdaptivePoolLayer(int Height, int Width, bool Global) : OracleLayer
{
    public override string Attribute() => Global ? "GlobalAvgPool" : $"AdaptiveAvgPool({Height}, {Width})";

    public override nn.Module<Tensor, Tensor> Build(long[] inputShape) => nn.AdaptiveAvgPool2d((Height, Width));
}

internal sealed record AdaptiveMaxPoolLayer(int Height, int Width, bool Global) : OracleLayer
{
    public override string Attribute() => Global ? "GlobalMaxPool" : $"AdaptiveMaxPool({Height}, {Width})";

    public override nn.Module<Tensor, Tensor> Build(long[] inputShape) => nn.AdaptiveMaxPool2d(new long[] { Height, Width });
}

internal sealed record FlattenLayer : OracleLayer
{
    public override string Attribute() => "Flatten";

    public override nn.Module<Tensor, Tensor> Build(long[] inputShape) => nn.Flatten();
}

internal sealed record DenseLayer(int Out, int? InFeatures) : OracleLayer
{
    public override string Attribute() => InFeatures is null ? $"Dense({Out})" : $"Dense({Out}, InFeatures = {InFeatures})";

    // By hand, a user sizes Linear from the last dimension, or writes the size they believe in.
    public override nn.Module<Tensor, Tensor> Build(long[] inputShape) => nn.Linear(InFeatures ?? inputShape[^1], Out);
}

internal sealed record BatchNormLayer : OracleLayer
{
    public override string Attribute() => "BatchNorm";

    public override nn.Module<Tensor, Tensor> Build(long[] inputShape) =>
        inputShape.Length == 4 ? nn.BatchNorm2d(inputShape[1]) : nn.BatchNorm1d(inputShape[1]);
}

internal sealed record GroupNormLayer(int Groups, bool Affine) : OracleLayer
{
    public override string Attribute() => $"GroupNorm({Groups}, Affine = {(Affine ? "true" : "false")})";

    public override nn.Module<Tensor, Tensor> Build(long[] inputShape) => nn.GroupNorm(Groups, inputShape[1], affine: Affine);
}

internal sealed record DropoutLayer(double P) : OracleLayer
{
    public override string Attribute() => $"Dropout({N(P)})";

    public override nn.Module<Tensor, Tensor> Build(long[] inputShape) => nn.Dropout(P);
}

internal sealed record Dropout2dLayer(double P) : OracleLayer
{
    public override string Attribute() => $"Dropout2d({N(P)})";

    public override nn.Module<Tensor, Tensor> Build(long[] inputShape) => nn.Dropout2d(P);
}

internal sealed record ActivationLayer(string Kind, int Dim) : OracleLayer
{
    public override string Attribute() => Kind switch
    {
        "LeakyReLU" => "LeakyReLU(NegativeSlope = 0.2)",
        "Softmax" or "LogSoftmax" => $"{Kind}(Dim = {Dim})",
        _ => Kind,
    };

    public override nn.Module<Tensor, Tensor> Build(long[] inputShape) => Kind switch
    {
        "ReLU" => nn.ReLU(),
        "LeakyReLU" => nn.LeakyReLU(0.2),
        "Sigmoid" => nn.Sigmoid(),
        "Tanh" => nn.Tanh(),
        "SiLU" => nn.SiLU(),
        "GELU" => nn.GELU(),
        "Identity" => nn.Identity(),
        "Softmax" => nn.Softmax(Dim),
        "LogSoftmax" => nn.LogSoftmax(Dim),
        _ => throw new InvalidOperationException(Kind),
    };
}

internal sealed record PReLULayer(bool PerChannel) : OracleLayer
{
    public override string Attribute() => $"PReLU(PerChannel = {(PerChannel ? "true" : "false")}, InitialSlope = 0.1)";

    public override nn.Module<Tensor, Tensor> Build(long[] inputShape) => nn.PReLU(PerChannel ? inputShape[1] : 1, init: 0.1);
}

internal sealed record ELULayer(double Alpha) : OracleLayer
{
    public override string Attribute() => $"ELU(Alpha = {N(Alpha)})";

    public override nn.Module<Tensor, Tensor> Build(long[] inputShape) => nn.ELU(Alpha);
}

internal sealed record ZeroPadLayer(int Left, int Right, int Top, int Bottom) : OracleLayer
{
    public override string Attribute() => Left == Right && Right == Top && Top == Bottom ? $"ZeroPad({Left})" : $"ZeroPad({Left}, {Right}, {Top}, {Bottom})";

    public override nn.Module<Tensor, Tensor> Build(long[] inputShape) => nn.ZeroPad2d((Left, Right, Top, Bottom));
}

internal sealed record UpsampleLayer(double Scale, string Mode) : OracleLayer
{
    public override string Attribute() => $"Upsample({N(Scale)}, Mode = \"{Mode}\")";

    public override nn.Module<Tensor, Tensor> Build(long[] inputShape) =>
        Mode == "bilinear"
            ? nn.Upsample(scale_factor: new[] { Scale, Scale }, mode: UpsampleMode.Bilinear, align_corners: false)
            : nn.Upsample(scale_factor: new[] { Scale, Scale }, mode: UpsampleMode.Nearest);
}

internal sealed record LocalResponseNormLayer(int Size) : OracleLayer
{
    public override string Attribute() => $"LocalResponseNorm({Size})";

    public override nn.Module<Tensor, Tensor> Build(long[] inputShape) => nn.LocalResponseNorm(Size);
}
