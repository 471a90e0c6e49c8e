using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeclCnn.Generators.Kinds;
using DeclCnn.Generators.Model;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;
using static DeclCnn.Generators.Shapes.LayerDescriber;

namespace DeclCnn.Generators.Shapes;

/// <summary>
/// Traces the blocks of a stage: each block is instantiated with the values of its use and traced
/// with the same engine; residual and concatenation joins are checked branch against branch. A
/// problem is reported at the stage, with the same problem located in the block's declaration.
/// </summary>
internal static class BlockTracer
{
    /// <summary>The stage's output and parameter count, the channels each of its blocks receives, and their multiply-adds.</summary>
    public static Result<LayerOutput> TraceStage(LayerStep step, string blockName, int channels, int blocks, int stride)
    {
        var block = step.Blocks.Find(blockName);
        if (block is null)
        {
            return ShapeFault.Of(NotABlock, null, step.Reference, BlockScope.SimpleName(blockName));
        }

        if (step.Blocks.Enter(blockName, out var cycle) is not { } inside)
        {
            return ShapeFault.Of(BlockUsesItself, null, step.Reference, BlockScope.SimpleName(blockName), cycle);
        }

        step = step.WithBlocks(inside);
        var current = step.Input;
        var parameters = 0L;
        var multiplyAdds = 0L;
        var inputChannels = new List<long>();
        for (var i = 0; i < blocks; i++)
        {
            inputChannels.Add(current.Channels);
            var bindings = new BlockBindings(current.Channels, channels, i == 0 ? stride : 1);
            var traced = Trace(step, block, i, bindings, current);
            if (traced.Value is not { } output)
            {
                return traced.Fault!;
            }

            current = output.Output;
            parameters = checked(parameters + output.Parameters);
            multiplyAdds = checked(multiplyAdds + output.BlockMultiplyAdds);
        }

        return new LayerOutput(current, parameters, inputChannels.ToEquatableArray(), multiplyAdds);
    }

    private static Result<LayerOutput> Trace(LayerStep step, BlockDeclaration block, int index, BlockBindings bindings, Shape input)
    {
        for (var i = 0; i < block.Layers.Count; i++)
        {
            var layer = block.Layers[i];
            if (layer.Symbolic.FirstOrDefault(a => a.Expression.DividesByZero(bindings)) is { } zero)
            {
                var reference = $"{Describe(layer.Spec, layer.Symbolic)} (layer {i + 1})";
                var written = new WrittenArguments(layer.Symbolic)[zero.Property];
                var fault = ShapeFault.Of(ArgumentOutOfRange, zero.Property, reference, zero.Property, "a number", $"{written}, which divides by zero");
                return AtStage(step, block, index, bindings, input, new ShapeProblem(i, fault), layerOffset: 0);
            }
        }

        var specs = block.Layers.Select(l => LayerInstantiation.Instantiate(l, bindings)).ToList();
        var joinIndex = specs.FindIndex(static s => s is JoinSpec);
        var bodyCount = joinIndex >= 0 ? joinIndex : specs.Count;

        var body = ShapeEngine.Run(input, specs.Take(bodyCount).ToList(), step.Blocks);
        if (body.Problem is { } bodyProblem)
        {
            return AtStage(step, block, index, bindings, input, bodyProblem, layerOffset: 0);
        }

        var parameters = body.Layers.Sum(static l => l.Parameters);
        var multiplyAdds = body.Layers.Sum(static l => l.MultiplyAdds);
        if (joinIndex < 0)
        {
            return new LayerOutput(body.Output, parameters, BlockMultiplyAdds: multiplyAdds);
        }

        var join = (JoinSpec)specs[joinIndex];
        var joinReference = $"[{(join.IsAdd ? "Add" : "Concat")}] (layer {joinIndex + 1} of {block.ClassName})";
        Shape joined;
        if (join.IsAdd)
        {
            Shape shortcut;
            string described;
            if (join.ProjectionBlock is { } projectionName)
            {
                if (step.Blocks.Find(projectionName) is not { } projection)
                {
                    return ShapeFault.Of(NotABlock, null, step.Reference, BlockScope.SimpleName(projectionName));
                }

                var projected = Trace(step, projection, index, new BlockBindings(input.Channels, body.Output.Channels, bindings.Stride), input);
                if (projected.Value is not { } projectedOutput)
                {
                    return projected.Fault!;
                }

                shortcut = projectedOutput.Output;
                described = $"{shortcut} ({projection.ClassName})";
                parameters = checked(parameters + projectedOutput.Parameters);
                multiplyAdds = checked(multiplyAdds + projectedOutput.BlockMultiplyAdds);
            }
            else
            {
                // torchvision's rule, which the generated block applies at run time too.
                var projects = join.Shortcut == Shortcut.Projection
                    || (join.Shortcut == Shortcut.Auto && (bindings.Stride != 1 || input.Channels != body.Output.Channels));
                shortcut = projects
                    ? Shape.Map(body.Output.Channels, ((input.Height - 1) / bindings.Stride) + 1, ((input.Width - 1) / bindings.Stride) + 1)
                    : input;
                described = projects ? $"{shortcut} (1x1 convolution, stride {bindings.Stride})" : $"{shortcut} (identity)";
                if (projects)
                {
                    parameters = checked(parameters + (input.Channels * body.Output.Channels) + (2 * body.Output.Channels));
                    multiplyAdds = checked(multiplyAdds + (shortcut.Elements * input.Channels));
                }
            }

            if (shortcut != body.Output)
            {
                var shrinks = body.Output.Height < shortcut.Height || body.Output.Width < shortcut.Width;
                var hint = (shrinks ? PadAdvice(block, specs, bodyCount) : null)
                    ?? (join.Shortcut == Shortcut.Identity
                        ? "an identity shortcut needs the body to keep the shape; allow a projection with Shortcut = Shortcut.Auto"
                        : "make the body's stride and padding reduce the size as the shortcut's stride does");
                var mismatch = new ShapeProblem(joinIndex, ShapeFault.Of(ResidualBranchesDiffer, null, joinReference, body.Output.ToString(), described, hint));
                return AtStage(step, block, index, bindings, input, mismatch, layerOffset: 0);
            }

            joined = body.Output;
        }
        else
        {
            if (body.Output.Height != input.Height || body.Output.Width != input.Width)
            {
                var mismatch = new ShapeProblem(joinIndex, ShapeFault.Of(ConcatBranchesDiffer, null, joinReference, body.Output.ToString(), input.ToString()));
                return AtStage(step, block, index, bindings, input, mismatch, layerOffset: 0);
            }

            joined = Shape.Map(checked(input.Channels + body.Output.Channels), input.Height, input.Width);
        }

        var after = ShapeEngine.Run(joined, specs.Skip(joinIndex + 1).ToList(), step.Blocks);
        if (after.Problem is { } afterProblem)
        {
            return AtStage(step, block, index, bindings, input, afterProblem, layerOffset: joinIndex + 1);
        }

        return new LayerOutput(
            after.Output,
            checked(parameters + after.Layers.Sum(static l => l.Parameters)),
            BlockMultiplyAdds: checked(multiplyAdds + after.Layers.Sum(static l => l.MultiplyAdds)));
    }

    /// <summary>
    /// Where a body comes out smaller than its shortcut: advice that names the body's first convolution
    /// losing rows or columns to padding below half its dilated kernel, and the padding that keeps its
    /// size (what the code fix writes); null when there is none, or its padding is written with block parameters.
    /// </summary>
    private static string? PadAdvice(BlockDeclaration block, List<LayerSpec> specs, int bodyCount)
    {
        for (var i = 0; i < bodyCount; i++)
        {
            if (specs[i] is not ConvSpec { Padding.Mode: PaddingMode.Explicit } conv
                || block.Layers[i].Symbolic.Any(static a => a.Property == nameof(ConvAttribute.Padding)))
            {
                continue;
            }

            var keepHeight = conv.Dilation.Height * (conv.Kernel.Height - 1) / 2;
            var keepWidth = conv.Dilation.Width * (conv.Kernel.Width - 1) / 2;
            if (conv.Padding.Amount.Height < keepHeight || conv.Padding.Amount.Width < keepWidth)
            {
                var height = System.Math.Max(conv.Padding.Amount.Height, keepHeight);
                var width = System.Math.Max(conv.Padding.Amount.Width, keepWidth);
                var padding = height == width ? Number(height) : $"new[] {{ {height}, {width} }}";
                var layer = block.Layers[i];
                return $"the body first shrinks at {Describe(layer.Spec, layer.Symbolic)} (layer {i + 1} of {block.ClassName}); pad it with Padding = {padding} to keep its size";
            }
        }

        return null;
    }

    /// <summary>A problem inside a block, reported at the stage and in the block's declaration.</summary>
    private static ShapeFault AtStage(LayerStep step, BlockDeclaration block, int index, BlockBindings bindings, Shape input, ShapeProblem problem, int layerOffset)
    {
        var layer = block.Layers[problem.LayerIndex + layerOffset];
        var inner = new DiagnosticInfo(problem.Descriptor, layer.LocationOf(problem.Property), problem.MessageArgs);
        var message = string.Format(CultureInfo.InvariantCulture, problem.Descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture), problem.MessageArgs.Cast<object>().ToArray());
        var related = new List<DiagnosticInfo> { inner };
        related.AddRange(problem.Related);
        return new ShapeFault(
            BlockDoesNotFit,
            null,
            new[] { step.Reference, Number(index + 1), block.ClassName, Number(bindings.Channels), Number(bindings.Stride), input.ToString(), message }.ToEquatableArray(),
            related.ToEquatableArray());
    }
}
