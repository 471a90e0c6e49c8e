using System;
using DeclCnn.Generators.Model;
using Microsoft.CodeAnalysis;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;
using static DeclCnn.Generators.Shapes.LayerDescriber;

namespace DeclCnn.Generators.Shapes;

/// <summary>
/// One rule per layer kind: check the arguments against the incoming shape and compute the
/// output shape and parameter count exactly as PyTorch does. All arithmetic is checked.
/// </summary>
internal static class LayerRules
{
    public static LayerTrace Apply(LayerStep step) => step.Spec switch
    {
        ConvSpec conv => Conv(step, conv),
        PoolSpec pool => Pool(step, pool),
        AdaptiveAvgPoolSpec adaptive => AdaptiveAvgPool(step, adaptive),
        FlattenSpec => new LayerTrace(step.Input, Shape.Flat(step.Input.Elements), 0, "Flatten"),
        DenseSpec dense => Dense(step, dense),
        BatchNormSpec => BatchNorm(step),
        DropoutSpec dropout => Dropout(step, dropout),
        ActivationSpec activation => Activation(step, activation),
        UpsampleSpec upsample => Upsample(step, upsample),
        LocalResponseNormSpec lrn => LocalResponseNorm(step, lrn),
        StageSpec stage => StageRule.Apply(step, stage),
        _ => throw new InvalidOperationException($"No shape rule for {step.Spec.GetType().Name}."),
    };

    private static LayerTrace Conv(LayerStep step, ConvSpec conv)
    {
        RequireFeatureMap(step);
        RequirePositive(step, "OutChannels", conv.OutChannels);
        RequirePositive(step, "KernelHeight", conv.Kernel.Height);
        RequirePositive(step, "KernelWidth", conv.Kernel.Width);
        RequirePositive(step, "Stride", conv.Stride);
        RequirePositive(step, "Dilation", conv.Dilation);
        RequirePositive(step, "Groups", conv.Groups);
        RequireNonNegative(step, "Padding", conv.Padding.Amount);

        if (conv.Padding.Mode == PaddingMode.Same && conv.Stride != Pair.Square(1))
        {
            var keepsSize = new Pair(conv.Dilation.Height * (conv.Kernel.Height - 1) / 2, conv.Dilation.Width * (conv.Kernel.Width - 1) / 2);
            throw Fail(SamePaddingWithStride, "Padding", step.Reference, conv.Stride.ToString(), keepsSize.ToString());
        }

        var inChannels = step.Input.Channels;
        if (inChannels % conv.Groups != 0 || conv.OutChannels % conv.Groups != 0)
        {
            throw Fail(GroupsDoNotDivideChannels, "Groups", step.Reference, step.InputText, step.ProducerText, Number(conv.Groups), Number(inChannels), Number(conv.OutChannels));
        }

        // "same" pads d*(k-1) in total (the odd one at the bottom/right), which keeps the size.
        var padding = conv.Padding.Mode == PaddingMode.Explicit ? conv.Padding.Amount : Pair.Square(0);
        var sameTotal = conv.Padding.Mode == PaddingMode.Same;
        var paddedHeight = checked(step.Input.Height + (sameTotal ? (long)conv.Dilation.Height * (conv.Kernel.Height - 1) : 2L * padding.Height));
        var paddedWidth = checked(step.Input.Width + (sameTotal ? (long)conv.Dilation.Width * (conv.Kernel.Width - 1) : 2L * padding.Width));
        var spanHeight = checked(((long)conv.Dilation.Height * (conv.Kernel.Height - 1)) + 1);
        var spanWidth = checked(((long)conv.Dilation.Width * (conv.Kernel.Width - 1)) + 1);
        if (spanHeight > paddedHeight || spanWidth > paddedWidth)
        {
            throw Fail(KernelLargerThanInput, spanHeight > paddedHeight ? "KernelHeight" : "KernelWidth", step.Reference, step.InputText, step.ProducerText, $"{spanHeight}x{spanWidth}", $"{paddedHeight}x{paddedWidth}");
        }

        var output = Shape.Map(
            conv.OutChannels,
            ((paddedHeight - spanHeight) / conv.Stride.Height) + 1,
            ((paddedWidth - spanWidth) / conv.Stride.Width) + 1);
        var weights = checked((long)conv.OutChannels * (inChannels / conv.Groups) * conv.Kernel.Height * conv.Kernel.Width);
        return new LayerTrace(step.Input, output, checked(weights + (conv.Bias ? conv.OutChannels : 0)), "Conv2d");
    }

    private static LayerTrace Pool(LayerStep step, PoolSpec pool)
    {
        RequireFeatureMap(step);
        RequirePositive(step, "KernelHeight", pool.Kernel.Height);
        RequirePositive(step, "KernelWidth", pool.Kernel.Width);
        RequirePositive(step, "Stride", pool.Stride);
        RequirePositive(step, "Dilation", pool.Dilation);
        RequireNonNegative(step, "Padding", pool.Padding);

        // PyTorch: "pad should be at most half of kernel size" (integer halves of the kernel).
        if (pool.Padding.Height > pool.Kernel.Height / 2 || pool.Padding.Width > pool.Kernel.Width / 2)
        {
            var half = new Pair(pool.Kernel.Height / 2, pool.Kernel.Width / 2);
            throw Fail(PoolPaddingTooLarge, "Padding", step.Reference, pool.Padding.ToString(), pool.Kernel.ToString(), half.ToString());
        }

        var height = PooledSize(step.Input.Height, pool.Kernel.Height, pool.Padding.Height, pool.Stride.Height, pool.Dilation.Height, pool.CeilMode);
        var width = PooledSize(step.Input.Width, pool.Kernel.Width, pool.Padding.Width, pool.Stride.Width, pool.Dilation.Width, pool.CeilMode);
        var output = Shape.Map(step.Input.Channels, height, width);
        if (height < 1 || width < 1)
        {
            throw Fail(NonPositiveOutput, null, step.Reference, step.InputText, step.ProducerText, output.ToString(), "pad the layers before it, use a smaller window, or remove a pooling layer");
        }

        return new LayerTrace(step.Input, output, 0, pool.Kind == PoolKind.Max ? "MaxPool2d" : "AvgPool2d");
    }

    /// <summary>PyTorch's pooling_output_shape: floor (or ceil) division, and with ceil mode the last window must start inside the input or its left padding.</summary>
    private static long PooledSize(long input, int kernel, int padding, int stride, int dilation, bool ceilMode)
    {
        var numerator = checked(input + (2L * padding) - ((long)dilation * (kernel - 1)) - 1 + (ceilMode ? stride - 1 : 0));
        var size = FloorDivide(numerator, stride) + 1;
        if (ceilMode && (size - 1) * stride >= input + padding)
        {
            size--;
        }

        return size;
    }

    private static long FloorDivide(long numerator, long denominator)
    {
        var quotient = numerator / denominator;
        return (numerator % denominator != 0 && (numerator < 0) != (denominator < 0)) ? quotient - 1 : quotient;
    }

    private static LayerTrace AdaptiveAvgPool(LayerStep step, AdaptiveAvgPoolSpec adaptive)
    {
        RequireFeatureMap(step);
        RequirePositive(step, "OutputHeight", adaptive.Output.Height);
        RequirePositive(step, "OutputWidth", adaptive.Output.Width);
        var output = Shape.Map(step.Input.Channels, adaptive.Output.Height, adaptive.Output.Width);
        return new LayerTrace(step.Input, output, 0, "AdaptiveAvgPool2d");
    }

    private static LayerTrace Dense(LayerStep step, DenseSpec dense)
    {
        if (!step.Input.IsFlat)
        {
            throw Fail(DenseOnFeatureMap, null, step.Reference, step.InputText, step.ProducerText);
        }

        RequirePositive(step, "OutFeatures", dense.OutFeatures);
        if (dense.InFeatures < 0)
        {
            throw Fail(ArgumentOutOfRange, "InFeatures", step.Reference, "InFeatures", "positive, or 0 to infer it", Number(dense.InFeatures));
        }

        var inFeatures = step.Input.Channels;
        if (dense.InFeatures != 0 && dense.InFeatures != inFeatures)
        {
            throw Fail(DenseInFeaturesMismatch, "InFeatures", step.Reference, Number(dense.InFeatures), Number(inFeatures), step.ProducerText);
        }

        var parameters = checked((inFeatures * dense.OutFeatures) + (dense.Bias ? dense.OutFeatures : 0));
        return new LayerTrace(step.Input, Shape.Flat(dense.OutFeatures), parameters, "Linear");
    }

    private static LayerTrace BatchNorm(LayerStep step) =>
        new(step.Input, step.Input, checked(2 * step.Input.Channels), step.Input.IsFlat ? "BatchNorm1d" : "BatchNorm2d");

    private static LayerTrace Dropout(LayerStep step, DropoutSpec dropout)
    {
        // Stricter than PyTorch, which also accepts p = 1: a layer that always outputs zeros is a bug.
        if (!(dropout.P >= 0 && dropout.P < 1))
        {
            throw Fail(DropoutOutOfRange, "P", step.Reference, Number(dropout.P));
        }

        return new LayerTrace(step.Input, step.Input, 0, "Dropout");
    }

    private static LayerTrace Activation(LayerStep step, ActivationSpec activation)
    {
        if (activation.Kind is ActivationKind.Softmax or ActivationKind.LogSoftmax)
        {
            var rank = step.Input.BatchedRank;
            if (activation.Dim < -rank || activation.Dim >= rank)
            {
                var dimensions = string.Join(", ", Array.ConvertAll(step.Input.Dimensions, Number));
                throw Fail(DimOutOfRange, "Dim", step.Reference, Number(activation.Dim), Number(rank), dimensions, Number(-rank), Number(rank - 1));
            }
        }

        return new LayerTrace(step.Input, step.Input, 0, activation.Kind.ToString());
    }

    private static LayerTrace Upsample(LayerStep step, UpsampleSpec upsample)
    {
        RequireFeatureMap(step);
        if (!(upsample.ScaleFactor > 0) || double.IsInfinity(upsample.ScaleFactor))
        {
            throw Fail(ArgumentOutOfRange, "ScaleFactor", step.Reference, "ScaleFactor", "positive and finite", Number(upsample.ScaleFactor));
        }

        if (upsample.Mode is not ("nearest" or "bilinear"))
        {
            throw Fail(UnknownUpsampleMode, "Mode", step.Reference, upsample.Mode);
        }

        // PyTorch: floor(float(size) * scale_factor), computed in double precision.
        var output = Shape.Map(step.Input.Channels, ScaledSize(step.Input.Height, upsample.ScaleFactor), ScaledSize(step.Input.Width, upsample.ScaleFactor));
        if (output.Height < 1 || output.Width < 1)
        {
            throw Fail(NonPositiveOutput, "ScaleFactor", step.Reference, step.InputText, step.ProducerText, output.ToString(), "use a larger scale factor");
        }

        return new LayerTrace(step.Input, output, 0, "Upsample");
    }

    private static long ScaledSize(long size, double scale)
    {
        var scaled = Math.Floor(size * scale);
        return scaled >= long.MaxValue ? throw new OverflowException() : (long)scaled;
    }

    private static LayerTrace LocalResponseNorm(LayerStep step, LocalResponseNormSpec lrn)
    {
        RequireFeatureMap(step);
        RequirePositive(step, "Size", lrn.Size);
        return new LayerTrace(step.Input, step.Input, 0, "LocalResponseNorm");
    }

    private static ShapeProblemException Fail(DiagnosticDescriptor descriptor, string? property, params string[] args) =>
        new(descriptor, property, args);

    private static void RequireFeatureMap(LayerStep step)
    {
        if (step.Input.IsFlat)
        {
            throw Fail(NeedsFeatureMap, null, step.Reference, step.InputText, step.ProducerText);
        }
    }

    private static void RequirePositive(LayerStep step, string property, int value)
    {
        if (value <= 0)
        {
            throw Fail(ArgumentOutOfRange, property, step.Reference, property, "positive", Number(value));
        }
    }

    private static void RequirePositive(LayerStep step, string property, Pair value)
    {
        if (value.Height <= 0 || value.Width <= 0)
        {
            throw Fail(ArgumentOutOfRange, property, step.Reference, property, "positive", value.ToString());
        }
    }

    private static void RequireNonNegative(LayerStep step, string property, Pair value)
    {
        if (value.Height < 0 || value.Width < 0)
        {
            throw Fail(ArgumentOutOfRange, property, step.Reference, property, "zero or positive", value.ToString());
        }
    }
}
