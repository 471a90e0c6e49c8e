using System.Collections.Generic;

namespace DeclCnn;

/// <summary>One layer of a <see cref="ModelSummary"/>: its submodule name, TorchSharp type, output shape and parameter count.</summary>
public sealed class LayerSummary
{
    /// <summary>Creates a layer entry.</summary>
    /// <param name="name">The submodule name, as in the state dict (for example <c>conv1</c>).</param>
    /// <param name="type">The TorchSharp module type (for example <c>Conv2d</c>).</param>
    /// <param name="outputShape">The output shape of one sample, without the batch dimension.</param>
    /// <param name="parameters">The number of trainable parameters.</param>
    public LayerSummary(string name, string type, long[] outputShape, long parameters)
    {
        Name = name;
        Type = type;
        OutputShape = outputShape;
        Parameters = parameters;
    }

    /// <summary>The submodule name, as in the state dict.</summary>
    public string Name { get; }

    /// <summary>The TorchSharp module type.</summary>
    public string Type { get; }

    /// <summary>The output shape of one sample, without the batch dimension.</summary>
    public IReadOnlyList<long> OutputShape { get; }

    /// <summary>The number of trainable parameters.</summary>
    public long Parameters { get; }
}
