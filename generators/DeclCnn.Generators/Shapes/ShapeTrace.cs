using DeclCnn.Generators.Model;
using Microsoft.CodeAnalysis;

namespace DeclCnn.Generators.Shapes;

/// <summary>What one layer receives and produces, its parameter count and its TorchSharp module type.</summary>
internal sealed record LayerTrace(Shape Input, Shape Output, long Parameters, string ModuleType);

/// <summary>
/// Why a layer cannot run: the diagnostic to report, the attribute property at fault (null for the
/// whole attribute) and the message arguments.
/// </summary>
internal sealed record ShapeProblem(int LayerIndex, DiagnosticDescriptor Descriptor, string? Property, EquatableArray<string> MessageArgs);

/// <summary>
/// The shape engine's result: a trace of every layer up to the first problem, and that problem.
/// Layers after a problem have no defined input, so they are not traced.
/// </summary>
internal sealed record ShapeTrace(Shape Input, EquatableArray<LayerTrace> Layers, ShapeProblem? Problem)
{
    public Shape Output => Layers.Count == 0 ? Input : Layers[Layers.Count - 1].Output;
}
