using System.Linq;
using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Analysis;

/// <summary>Fills a block layer's symbolic arguments with the values of one use of the block.</summary>
internal static class LayerInstantiation
{
    public static LayerSpec Instantiate(LayerDeclaration layer, BlockBindings bindings) =>
        layer.Symbolic.Aggregate(layer.Spec, (spec, argument) => With(spec, argument.Property, checked((int)argument.Expression.Evaluate(bindings))));

    private static LayerSpec With(LayerSpec spec, string property, int value) => (spec, property) switch
    {
        (ConvSpec conv, "OutChannels") => conv with { OutChannels = value },
        (ConvSpec conv, "KernelHeight") => conv with { Kernel = conv.Kernel with { Height = value } },
        (ConvSpec conv, "KernelWidth") => conv with { Kernel = conv.Kernel with { Width = value } },
        (ConvSpec conv, "Stride") => conv with { Stride = Pair.Square(value) },
        (ConvSpec conv, "Padding") => conv with { Padding = new PaddingSpec(PaddingMode.Explicit, Pair.Square(value)) },
        (ConvSpec conv, "Dilation") => conv with { Dilation = Pair.Square(value) },
        (ConvSpec conv, "Groups") => conv with { Groups = value },
        // A pooling layer's stride defaults to its kernel, also where the kernel is a block parameter.
        (PoolSpec pool, "KernelHeight") => pool with { Kernel = pool.Kernel with { Height = value }, Stride = pool.StrideIsDefault ? pool.Stride with { Height = value } : pool.Stride },
        (PoolSpec pool, "KernelWidth") => pool with { Kernel = pool.Kernel with { Width = value }, Stride = pool.StrideIsDefault ? pool.Stride with { Width = value } : pool.Stride },
        (PoolSpec pool, "Stride") => pool with { Stride = Pair.Square(value), StrideIsDefault = false },
        (PoolSpec pool, "Padding") => pool with { Padding = Pair.Square(value) },
        (PoolSpec pool, "Dilation") => pool with { Dilation = Pair.Square(value) },
        (AdaptiveAvgPoolSpec adaptive, "OutputHeight") => adaptive with { Output = adaptive.Output with { Height = value } },
        (AdaptiveAvgPoolSpec adaptive, "OutputWidth") => adaptive with { Output = adaptive.Output with { Width = value } },
        (LocalResponseNormSpec lrn, "Size") => lrn with { Size = value },
        (StageSpec stage, "Channels") => stage with { Channels = value },
        (StageSpec stage, "Stride") => stage with { Stride = value },
        _ => spec,
    };
}
