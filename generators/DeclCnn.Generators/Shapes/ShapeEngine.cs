using System;
using System.Collections.Generic;
using DeclCnn.Generators.Analysis;
using DeclCnn.Generators.Model;
using Microsoft.CodeAnalysis;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;

namespace DeclCnn.Generators.Shapes;

/// <summary>
/// Infers every layer's output shape and parameter count with PyTorch's own formulas, and finds
/// the first layer that could not run. Pure: the same input always gives the same trace.
/// </summary>
internal static class ShapeEngine
{
    public static ShapeTrace Run(InputSpec input, IReadOnlyList<LayerSpec> layers, BlockLibrary blocks) =>
        Run(Shape.Map(input.Channels, input.Height, input.Width), layers, blocks);

    public static ShapeTrace Run(Shape start, IReadOnlyList<LayerSpec> layers, BlockLibrary blocks)
    {
        var traces = new List<LayerTrace>(layers.Count);
        var current = start;
        var totalParameters = 0L;
        for (var i = 0; i < layers.Count; i++)
        {
            var step = new LayerStep(layers, i, current, blocks);
            var overflowing = "output size or parameter count";
            try
            {
                var trace = LayerRules.Apply(step);

                // The emitted summary adds up every layer's count: it must fit too.
                overflowing = "parameter count, added to those of the layers before it,";
                totalParameters = checked(totalParameters + trace.Parameters);
                traces.Add(trace);
                current = trace.Output;
            }
            catch (ShapeProblemException problem)
            {
                return new ShapeTrace(start, traces.ToEquatableArray(), problem.ToProblem(i));
            }
            catch (OverflowException)
            {
                var overflow = new ShapeProblemException(ArithmeticOverflow, null, new[] { step.Reference, step.InputText, step.ProducerText, overflowing });
                return new ShapeTrace(start, traces.ToEquatableArray(), overflow.ToProblem(i));
            }
        }

        return new ShapeTrace(start, traces.ToEquatableArray(), null);
    }
}

/// <summary>One layer being traced: its spec, its input, and helpers to describe both in messages.</summary>
internal readonly struct LayerStep
{
    private readonly IReadOnlyList<LayerSpec> layers;
    private readonly int index;

    public LayerStep(IReadOnlyList<LayerSpec> layers, int index, Shape input, BlockLibrary blocks)
    {
        this.layers = layers;
        this.index = index;
        Input = input;
        Blocks = blocks;
    }

    /// <summary>The blocks that stages may use.</summary>
    public BlockLibrary Blocks { get; }

    /// <summary>The same step, tracing nested blocks with <paramref name="blocks"/>.</summary>
    public LayerStep WithBlocks(BlockLibrary blocks) => new(layers, index, Input, blocks);

    public LayerSpec Spec => layers[index];

    public Shape Input { get; }

    public string Reference => LayerDescriber.Reference(Spec, index);

    public string InputText => Input.ToString();

    public string ProducerText => LayerDescriber.Producer(layers, index);
}

/// <summary>Raised by a layer rule to stop the trace at a layer that cannot run.</summary>
#pragma warning disable CA1032, CA1064 // internal control flow inside the engine, never surfaced
internal sealed class ShapeProblemException : Exception
#pragma warning restore CA1032, CA1064
{
    private readonly DiagnosticDescriptor descriptor;
    private readonly string? property;
    private readonly string[] args;
    private readonly EquatableArray<DiagnosticInfo> related;

    public ShapeProblemException(DiagnosticDescriptor descriptor, string? property, string[] args, EquatableArray<DiagnosticInfo> related = default)
        : base(descriptor.Id)
    {
        this.descriptor = descriptor;
        this.property = property;
        this.args = args;
        this.related = related;
    }

    public ShapeProblem ToProblem(int layerIndex) => new(layerIndex, descriptor, property, args.ToEquatableArray(), related);
}
