using DeclCnn.Generators.Model;
using Microsoft.CodeAnalysis;

namespace DeclCnn.Generators.Shapes;

/// <summary>
/// What one layer receives and produces, its parameter count, its multiply-adds for one sample and its
/// TorchSharp module type; for a stage, also the channels each of its blocks receives.
/// </summary>
internal sealed record LayerTrace(Shape Input, Shape Output, long Parameters, long MultiplyAdds, string ModuleType, EquatableArray<long> BlockInputChannels = default);

/// <summary>
/// What a shape rule computes: the output, the parameter count, and for a stage the channels each block
/// receives and the multiply-adds of all its blocks (which only the blocks' own traces know).
/// </summary>
internal sealed record LayerOutput(Shape Output, long Parameters, EquatableArray<long> BlockInputChannels = default, long BlockMultiplyAdds = 0);

/// <summary>
/// Why a layer cannot run (<see cref="ShapeFault"/>), and which layer: the diagnostic to report, the
/// attribute property at fault and the message arguments; and, for a block that does not fit where
/// it is used, the diagnostics located in the block's own declaration.
/// </summary>
internal sealed record ShapeProblem(int LayerIndex, DiagnosticDescriptor Descriptor, string? Property, EquatableArray<string> MessageArgs, EquatableArray<DiagnosticInfo> Related)
{
    public ShapeProblem(int layerIndex, ShapeFault fault)
        : this(layerIndex, fault.Descriptor, fault.Property, fault.MessageArgs, fault.Related)
    {
    }
}

/// <summary>
/// The shape engine's result: a trace of every layer up to the first problem, and that problem.
/// Layers after a problem have no defined input, so they are not traced.
/// </summary>
internal sealed record ShapeTrace(Shape Input, EquatableArray<LayerTrace> Layers, ShapeProblem? Problem)
{
    public Shape Output => Layers.Count == 0 ? Input : Layers[Layers.Count - 1].Output;
}
