using System;
using System.Collections.Generic;
using DeclCnn.Generators.Model;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;

namespace DeclCnn.Generators.Shapes;

/// <summary>
/// Infers every layer's output shape and parameter count with PyTorch's own formulas (each kind's
/// rule, <see cref="Kinds.LayerKind.Trace"/>), and finds the first layer that could not run. Pure:
/// the same input always gives the same trace.
/// </summary>
internal static class ShapeEngine
{
    public static ShapeTrace Run(InputSpec input, IReadOnlyList<LayerSpec> layers, BlockScope blocks) =>
        Run(Shape.Map(input.Channels, input.Height, input.Width), layers, blocks);

    public static ShapeTrace Run(Shape start, IReadOnlyList<LayerSpec> layers, BlockScope blocks)
    {
        var traces = new List<LayerTrace>(layers.Count);
        var current = start;
        var totalParameters = 0L;
        var totalMultiplyAdds = 0L;
        for (var i = 0; i < layers.Count; i++)
        {
            var step = new LayerStep(layers, i, current, blocks);
            var overflowing = "output size, parameter count or multiply-add count";

            // Rules compute with checked arithmetic; an overflow anywhere in one is caught here, once.
            try
            {
                var result = layers[i].Kind.Trace(layers[i], step);
                if (result.Value is not { } trace)
                {
                    return new ShapeTrace(start, traces.ToEquatableArray(), new ShapeProblem(i, result.Fault!));
                }

                // The emitted summary adds up every layer's counts: they must fit too.
                overflowing = "parameter count, added to those of the layers before it,";
                totalParameters = checked(totalParameters + trace.Parameters);
                overflowing = "multiply-add count, added to those of the layers before it,";
                totalMultiplyAdds = checked(totalMultiplyAdds + trace.MultiplyAdds);
                traces.Add(trace);
                current = trace.Output;
            }
            catch (OverflowException)
            {
                var overflow = ShapeFault.Of(ArithmeticOverflow, null, step.Reference, step.InputText, step.ProducerText, overflowing);
                return new ShapeTrace(start, traces.ToEquatableArray(), new ShapeProblem(i, overflow));
            }
        }

        return new ShapeTrace(start, traces.ToEquatableArray(), null);
    }
}
