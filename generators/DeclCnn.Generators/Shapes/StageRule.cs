using System.Collections.Generic;
using System.Linq;
using DeclCnn.Generators.Analysis;
using DeclCnn.Generators.Model;
using Microsoft.CodeAnalysis;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;
using static DeclCnn.Generators.Shapes.LayerDescriber;

namespace DeclCnn.Generators.Shapes;

/// <summary>
/// The shape rule of a stage: each block is instantiated with the values of its use and traced
/// with the same engine; residual and concatenation joins are checked branch against branch.
/// A problem is reported at the stage, with the same problem located in the block's declaration.
/// </summary>
internal static class StageRule
{
    /// <summary>The most blocks one stage may repeat (the deepest published ResNets use 36).</summary>
    public const int MaxBlocks = 1000;

    public static LayerTrace Apply(LayerStep step, StageSpec stage)
    {
        if (step.Input.IsFlat)
        {
            throw new ShapeProblemException(NeedsFeatureMap, null, new[] { step.Reference, step.InputText, step.ProducerText });
        }

        foreach (var (property, value) in new[] { ("Channels", stage.Channels), ("Blocks", stage.Blocks), ("Stride", stage.Stride) })
        {
            if (value <= 0)
            {
                throw new ShapeProblemException(ArgumentOutOfRange, property, new[] { step.Reference, property, "positive", Number(value) });
            }
        }

        // Each block is traced and written out one by one: bound the work a typo like 1 << 30 would ask for.
        if (stage.Blocks > MaxBlocks)
        {
            throw new ShapeProblemException(ArgumentOutOfRange, "Blocks", new[] { step.Reference, "Blocks", $"at most {Number(MaxBlocks)}", Number(stage.Blocks) });
        }

        var block = step.Blocks.Find(stage.BlockMetadataName)
            ?? throw new ShapeProblemException(NotABlock, null, new[] { step.Reference, stage.BlockName });
        var inside = step.Blocks.Enter(stage.BlockMetadataName, out var cycle)
            ?? throw new ShapeProblemException(BlockUsesItself, null, new[] { step.Reference, stage.BlockName, cycle });
        step = step.WithBlocks(inside);
        var current = step.Input;
        var parameters = 0L;
        var inputChannels = new List<long>();
        for (var i = 0; i < stage.Blocks; i++)
        {
            inputChannels.Add(current.Channels);
            var bindings = new BlockBindings(current.Channels, stage.Channels, i == 0 ? stage.Stride : 1);
            var (output, blockParameters) = Trace(step, stage, block, i, bindings, current);
            current = output;
            parameters = checked(parameters + blockParameters);
        }

        return new LayerTrace(step.Input, current, parameters, "Sequential", inputChannels.ToEquatableArray());
    }

    private static (Shape Output, long Parameters) Trace(LayerStep step, StageSpec stage, BlockAnalysis block, int index, BlockBindings bindings, Shape input)
    {
        var declaration = block.Declaration;
        var joinIndex = block.JoinIndex;
        var specs = declaration.Layers.Select(l => LayerInstantiation.Instantiate(l, bindings)).ToList();
        var bodyCount = joinIndex >= 0 ? joinIndex : specs.Count;

        var body = ShapeEngine.Run(input, specs.Take(bodyCount).ToList(), step.Blocks);
        Fail(step, stage, block, index, bindings, input, body.Problem, layerOffset: 0);
        var parameters = body.Layers.Sum(static l => l.Parameters);
        if (joinIndex < 0)
        {
            return (body.Output, parameters);
        }

        var join = (JoinSpec)specs[joinIndex];
        var joinReference = $"[{(join.Kind == JoinKind.Add ? "Add" : "Concat")}] (layer {joinIndex + 1} of {declaration.ClassName})";
        Shape joined;
        if (join.Kind == JoinKind.Add)
        {
            // torchvision's rule, which the generated block applies at run time too.
            var projects = join.Shortcut == ShortcutMode.Projection || join.ProjectionBlock is not null
                || (join.Shortcut == ShortcutMode.Auto && (bindings.Stride != 1 || input.Channels != body.Output.Channels));
            Shape shortcut;
            string described;
            if (join.ProjectionBlock is { } projectionName)
            {
                var projection = step.Blocks.Find(projectionName)
                    ?? throw new ShapeProblemException(NotABlock, null, new[] { step.Reference, BlockLibrary.SimpleName(projectionName) });
                var projected = Trace(step, stage, projection, index, new BlockBindings(input.Channels, body.Output.Channels, bindings.Stride), input);
                shortcut = projected.Output;
                described = $"{shortcut} ({projection.Declaration.ClassName})";
                parameters = checked(parameters + projected.Parameters);
            }
            else
            {
                shortcut = projects
                    ? Shape.Map(body.Output.Channels, ((input.Height - 1) / bindings.Stride) + 1, ((input.Width - 1) / bindings.Stride) + 1)
                    : input;
                described = projects ? $"{shortcut} (1x1 convolution, stride {bindings.Stride})" : $"{shortcut} (identity)";
                if (projects)
                {
                    parameters = checked(parameters + (input.Channels * body.Output.Channels) + (2 * body.Output.Channels));
                }
            }

            if (shortcut != body.Output)
            {
                var hint = join.Shortcut == ShortcutMode.Identity
                    ? "an identity shortcut needs the body to keep the shape; allow a projection with Shortcut = Shortcut.Auto"
                    : "make the body's stride and padding reduce the size as the shortcut's stride does";
                var mismatch = new ShapeProblem(joinIndex, ResidualBranchesDiffer, null, new[] { joinReference, body.Output.ToString(), described, hint }.ToEquatableArray(), default);
                Fail(step, stage, block, index, bindings, input, mismatch, layerOffset: 0);
            }

            joined = body.Output;
        }
        else
        {
            if (body.Output.Height != input.Height || body.Output.Width != input.Width)
            {
                var mismatch = new ShapeProblem(joinIndex, ConcatBranchesDiffer, null, new[] { joinReference, body.Output.ToString(), input.ToString() }.ToEquatableArray(), default);
                Fail(step, stage, block, index, bindings, input, mismatch, layerOffset: 0);
            }

            joined = Shape.Map(checked(input.Channels + body.Output.Channels), input.Height, input.Width);
        }

        var after = ShapeEngine.Run(joined, specs.Skip(joinIndex + 1).ToList(), step.Blocks);
        Fail(step, stage, block, index, bindings, input, after.Problem, layerOffset: joinIndex + 1);
        return (after.Output, checked(parameters + after.Layers.Sum(static l => l.Parameters)));
    }

    /// <summary>Reports a problem inside a block at the stage, and in the block's declaration.</summary>
    private static void Fail(LayerStep step, StageSpec stage, BlockAnalysis block, int index, BlockBindings bindings, Shape input, ShapeProblem? problem, int layerOffset)
    {
        if (problem is null)
        {
            return;
        }

        var layer = block.Declaration.Layers[problem.LayerIndex + layerOffset];
        var inner = new DiagnosticInfo(problem.Descriptor, layer.LocationOf(problem.Property), problem.MessageArgs);
        var message = string.Format(System.Globalization.CultureInfo.InvariantCulture, problem.Descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.MessageArgs.Cast<object>().ToArray());
        var related = new List<DiagnosticInfo> { inner };
        related.AddRange(problem.Related);
        throw new ShapeProblemException(
            BlockDoesNotFit,
            null,
            new[] { step.Reference, Number(index + 1), block.Declaration.ClassName, Number(bindings.Channels), Number(bindings.Stride), input.ToString(), message },
            related.ToEquatableArray());
    }
}
