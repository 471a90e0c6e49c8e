using System.Collections.Generic;

namespace DeclCnn;

/// <summary>One layer of a <see cref="ModelSummary"/>: its submodule name, TorchSharp type, output shape, parameter count and multiply-adds.</summary>
public sealed class LayerSummary
{
    /// <summary>Creates a layer entry.</summary>
    /// <param name="name">The submodule name, as in the state dict (for example <c>conv1</c>).</param>
    /// <param name="type">The TorchSharp module type (for example <c>Conv2d</c>).</param>
    /// <param name="outputShape">The output shape of one sample, without the batch dimension.</param>
    /// <param name="parameters">The number of trainable parameters.</param>
    /// <param name="multiplyAdds">The multiply-adds of one sample through the layer (see <see cref="MultiplyAdds"/>).</param>
    public LayerSummary(string name, string type, long[] outputShape, long parameters, long multiplyAdds)
    {
        Name = name;
        Type = type;
        OutputShape = outputShape;
        Parameters = parameters;
        MultiplyAdds = multiplyAdds;
    }

    /// <summary>The submodule name, as in the state dict.</summary>
    public string Name { get; }

    /// <summary>The TorchSharp module type.</summary>
    public string Type { get; }

    /// <summary>The output shape of one sample, without the batch dimension.</summary>
    public IReadOnlyList<long> OutputShape { get; }

    /// <summary>The number of trainable parameters.</summary>
    public long Parameters { get; }

    /// <summary>
    /// The multiply-adds of one sample through the layer: the products of convolution and dense weights with
    /// their inputs, without biases (docs/architecture.md, "Multiply-adds"). Normalization, pooling, activations,
    /// dropout, resizing and the residual addition count 0.
    /// </summary>
    public long MultiplyAdds { get; }
}
