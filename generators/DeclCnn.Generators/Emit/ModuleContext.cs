using System;
using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Emit;

/// <summary>
/// What a kind needs to write a layer's factory call: the channels it receives and its arguments,
/// as numbers in a model or as expressions over the constructor's parameters in a block.
/// </summary>
internal sealed class ModuleContext
{
    public ModuleContext(IntExpression inChannels, ModuleArguments arguments, string moduleType, EquatableArray<long> tracedBlockInputs, Func<string, IntExpression>? blockOutput)
    {
        InChannels = inChannels;
        Arguments = arguments;
        ModuleType = moduleType;
        TracedBlockInputs = tracedBlockInputs;
        BlockOutput = blockOutput;
    }

    /// <summary>The channels or features the layer receives.</summary>
    public IntExpression InChannels { get; }

    /// <summary>The layer's integer arguments, as written.</summary>
    public ModuleArguments Arguments { get; }

    /// <summary>The TorchSharp module type the shape engine chose.</summary>
    public string ModuleType { get; }

    /// <summary>In a model, a stage's traced channels per block; empty in a block.</summary>
    public EquatableArray<long> TracedBlockInputs { get; }

    /// <summary>In a block, a nested block's output channels over its own parameters (inChannels, channels, stride); null in a model.</summary>
    public Func<string, IntExpression>? BlockOutput { get; }
}
