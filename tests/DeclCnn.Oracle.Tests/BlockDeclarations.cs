using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CsCheck;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Oracle.Tests;

/// <summary>An integer argument of a block layer: a constant, an expression of <c>Block.Channels</c>, or <c>Block.Stride</c>.</summary>
internal sealed record BlockInt(string Text, Func<long, long, long> Evaluate);

/// <summary>What a random block declares: a layer, or a nested stage of another block.</summary>
internal abstract record BlockItem
{
    public abstract string Attribute { get; }
}

/// <summary>A layer of a random block, written with block parameters and built by hand for given parameter values.</summary>
internal sealed record BlockLayer(string Text, Func<long[], long, long, nn.Module<Tensor, Tensor>> Build) : BlockItem
{
    public override string Attribute => Text;
}

/// <summary>A stage inside a block, <c>[Stage&lt;Inner&gt;(channels, Blocks = n, Stride = s)]</c>, its arguments over the outer block's parameters.</summary>
internal sealed record NestedStage(OracleBlock Block, BlockInt Channels, int Blocks, BlockInt Stride) : BlockItem
{
    public override string Attribute => $"Stage<{Block.Name}>({Channels.Text}, Blocks = {Blocks}, Stride = {Stride.Text})";
}

/// <summary>How a random block joins its body and its input.</summary>
internal enum OracleJoin
{
    None,
    AddAuto,
    AddIdentity,
    AddProjection,

    /// <summary><c>[Add(Projection = typeof(SomeBlock))]</c>: the shortcut is another block.</summary>
    AddBlock,
    Concat,
}

/// <summary>
/// A random block: its body, its join (with the shortcut block for <see cref="OracleJoin.AddBlock"/>)
/// and the layers after the join. Nested stages and the shortcut refer to other random blocks.
/// </summary>
internal sealed record OracleBlock(string Name, IReadOnlyList<BlockItem> Body, OracleJoin Join, OracleBlock? Shortcut, IReadOnlyList<BlockItem> After)
{
    /// <summary>This block and every block it uses, each once.</summary>
    public IEnumerable<OracleBlock> WithUsedBlocks() =>
        Body.Concat(After).OfType<NestedStage>().Select(static s => s.Block).Concat(Shortcut is null ? Array.Empty<OracleBlock>() : new[] { Shortcut })
            .SelectMany(static b => b.WithUsedBlocks())
            .Prepend(this)
            .DistinctBy(static b => b.Name);

    public string Source()
    {
        var join = Join switch
        {
            OracleJoin.AddAuto => "[Add]\n",
            OracleJoin.AddIdentity => "[Add(Shortcut = Shortcut.Identity)]\n",
            OracleJoin.AddProjection => "[Add(Shortcut = Shortcut.Projection)]\n",
            OracleJoin.AddBlock => $"[Add(Projection = typeof({Shortcut!.Name}))]\n",
            OracleJoin.Concat => "[Concat]\n",
            _ => string.Empty,
        };
        return "[Block]\n"
            + string.Concat(Body.Select(static l => $"[{l.Attribute}]\n")) + join
            + string.Concat(After.Select(static l => $"[{l.Attribute}]\n"))
            + $"public partial class {Name};\n";
    }
}

/// <summary>
/// Raised by the hand-built run when the network grows past what the oracle runs: a dense block
/// nested in stages doubles the channels at every use, and a projection after it needs their square.
/// </summary>
#pragma warning disable CA1032, CA1064 // internal control flow of the oracle, never surfaced
internal sealed class TooLargeToRunException(string message) : Exception(message);
#pragma warning restore CA1032, CA1064

/// <summary>A random model: an input and one or two stages of a random block, and optionally a classifier.</summary>
internal sealed record BlockDeclaration(OracleBlock Block, int InputChannels, int Size, IReadOnlyList<(int Channels, int Blocks, int Stride)> Stages, int? Classes)
{
    /// <summary>Whether some block's shortcut is another block.</summary>
    public bool HasShortcutBlock => Block.WithUsedBlocks().Any(static b => b.Join == OracleJoin.AddBlock);

    /// <summary>Whether some block holds a stage of another block.</summary>
    public bool HasNestedStage => Block.WithUsedBlocks().Any(static b => b.Body.Concat(b.After).Any(static i => i is NestedStage));

    public string Source()
    {
        var stages = string.Concat(Stages.Select(s => $"[Stage<{Block.Name}>({s.Channels}, Blocks = {s.Blocks}, Stride = {s.Stride})]\n"));
        var head = Classes is { } classes ? $"[GlobalAvgPool, Flatten, Dense({classes})]\n" : string.Empty;
        return "using DeclCnn;\n\n"
            + string.Concat(Block.WithUsedBlocks().Select(static b => b.Source() + "\n"))
            + $"[Input({InputChannels}, {Size}, {Size})]\n" + stages + head
            + $"public partial class {Declaration.ClassName};\n";
    }

    public override string ToString() => Source();

    /// <summary>
    /// Runs the network built by hand: stages as ResNet's _make_layer builds them, joins as a
    /// hand-written block computes them. Returns the model's rows (one per model layer), a row
    /// for every module in the order its forward finishes (what forward hooks on the generated
    /// modules see), and whether a residual addition only ran because PyTorch broadcast.
    /// </summary>
    public (List<string> Rows, List<string> Modules, bool Broadcast) RunByHand()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(0);
        var hand = new HandBuilt();
        var x = randn(2, InputChannels, Size, Size);
        var rows = new List<string>();
        foreach (var (channels, blocks, stride) in Stages)
        {
            (x, var parameters) = hand.Stage(Block, x, channels, blocks, stride);
            rows.Add(HandBuilt.Row("Sequential", x, parameters));
        }

        if (Classes is { } classes)
        {
            x = nn.functional.adaptive_avg_pool2d(x, 1);
            rows.Add(hand.Record("AdaptiveAvgPool2d", x, 0));
            x = x.flatten(1);
            rows.Add(hand.Record("Flatten", x, 0));
            using var fc = nn.Linear(x.shape[1], classes);
            x = fc.call(x);
            rows.Add(hand.Record("Linear", x, fc.parameters().Sum(static p => p.numel())));
        }

        return (rows, hand.Modules, hand.Broadcast);
    }

    /// <summary>The hand-built interpreter of random blocks, sized from the tensors that reach each layer.</summary>
    private sealed class HandBuilt
    {
        /// <summary>The most channels a module may output: bounds every layer's weights (a projection's are inputs times outputs).</summary>
        private const long MaxChannels = 1024;

        public List<string> Modules { get; } = new();

        public bool Broadcast { get; private set; }

        public static string Row(string type, Tensor output, long parameters) => $"{type} [{string.Join(", ", output.shape.Skip(1))}] {parameters}";

        public string Record(string type, Tensor output, long parameters)
        {
            if (output.shape[1] > MaxChannels)
            {
                throw new TooLargeToRunException($"{type} outputs {output.shape[1]} channels, more than the oracle runs ({MaxChannels}).");
            }

            var row = Row(type, output, parameters);
            Modules.Add(row);
            return row;
        }

        /// <summary>A stage: the first block gets the stride, the others stride 1, all the same channels.</summary>
        public (Tensor Output, long Parameters) Stage(OracleBlock block, Tensor x, long channels, int blocks, long stride)
        {
            var parameters = 0L;
            for (var b = 0; b < blocks; b++)
            {
                (x, var blockParameters) = Block(block, x, channels, b == 0 ? stride : 1);
                parameters += blockParameters;
            }

            Record("Sequential", x, parameters);
            return (x, parameters);
        }

        private (Tensor Output, long Parameters) Block(OracleBlock block, Tensor input, long channels, long stride)
        {
            var (body, parameters) = Items(block.Body, input, channels, stride);
            Tensor joined;
            switch (block.Join)
            {
                case OracleJoin.None:
                    joined = body;
                    break;
                case OracleJoin.Concat:
                    joined = cat(new[] { input, body }, 1);
                    break;
                default:
                    var shortcut = input;
                    if (block.Join == OracleJoin.AddBlock)
                    {
                        // The shortcut block gets the input, the body's channels and the block's stride.
                        (shortcut, var projection) = Block(block.Shortcut!, input, body.shape[1], stride);
                        parameters += projection;
                    }
                    else if (block.Join == OracleJoin.AddProjection
                        || (block.Join == OracleJoin.AddAuto && (stride != 1 || input.shape[1] != body.shape[1])))
                    {
                        // torchvision's downsample: Sequential(1x1 convolution without bias, batch norm).
                        using var conv = nn.Conv2d(input.shape[1], body.shape[1], 1, stride: stride, bias: false);
                        using var norm = nn.BatchNorm2d(body.shape[1]);
                        norm.eval();
                        var projected = conv.call(input);
                        var convParameters = conv.parameters().Sum(static p => p.numel());
                        Record("Conv2d", projected, convParameters);
                        shortcut = norm.call(projected);
                        var normParameters = norm.parameters().Sum(static p => p.numel());
                        Record("BatchNorm2d", shortcut, normParameters);
                        Record("Sequential", shortcut, convParameters + normParameters);
                        parameters += convParameters + normParameters;
                    }

                    // PyTorch broadcasts a size-1 dimension silently; DeclCnn requires equal shapes.
                    Broadcast |= !shortcut.shape.SequenceEqual(body.shape);
                    joined = body + shortcut;
                    break;
            }

            var (output, after) = Items(block.After, joined, channels, stride);
            parameters += after;
            Record(block.Name, output, parameters);
            return (output, parameters);
        }

        private (Tensor Output, long Parameters) Items(IReadOnlyList<BlockItem> items, Tensor x, long channels, long stride)
        {
            var parameters = 0L;
            foreach (var item in items)
            {
                long itemParameters;
                if (item is NestedStage stage)
                {
                    (x, itemParameters) = Stage(stage.Block, x, stage.Channels.Evaluate(channels, stride), stage.Blocks, stage.Stride.Evaluate(channels, stride));
                }
                else
                {
                    using var module = ((BlockLayer)item).Build(x.shape, channels, stride);
                    module.eval();
                    x = module.call(x);
                    itemParameters = module.parameters().Sum(static p => p.numel());
                    Record(module.GetType().Name, x, itemParameters);
                }

                parameters += itemParameters;
            }

            return (x, parameters);
        }
    }
}

/// <summary>CsCheck generators of random blocks, the blocks they nest or use as shortcuts, and the models that use them.</summary>
internal static class BlockDeclarations
{
    /// <summary>The depth of blocks that use no other block: a model's block, its nested or shortcut blocks, theirs.</summary>
    private const int LeafDepth = 2;

    private static readonly BlockInt BlockChannels = new("Block.Channels", static (channels, _) => channels);

    private static readonly BlockInt BlockStride = new("Block.Stride", static (_, stride) => stride);

    private static readonly BlockInt One = new("1", static (_, _) => 1);

    private static readonly Gen<BlockInt> Channels = Gen.OneOf(
        Gen.Const(BlockChannels),
        Gen.Const(new BlockInt("Block.Channels * 2", static (channels, _) => channels * 2)),
        Gen.Const(new BlockInt("(Block.Channels + 1) / 2", static (channels, _) => (channels + 1) / 2)),
        Gen.Int[1, 6].Select(static c => new BlockInt(c.ToString(CultureInfo.InvariantCulture), (_, _) => c)));

    private static readonly Gen<BlockInt> Stride = Gen.OneOf(Gen.Const(BlockStride), Gen.Const(One));

    private static readonly Gen<BlockInt> StageStride = Gen.OneOf(Stride, Gen.Const(new BlockInt("2", static (_, _) => 2)));

    private static readonly Gen<BlockItem> BatchNorm = Gen.Const<BlockItem>(new BlockLayer("BatchNorm", static (shape, _, _) => nn.BatchNorm2d(shape[1])));

    private static readonly Gen<BlockItem> ReLU = Gen.Const<BlockItem>(new BlockLayer("ReLU", static (_, _, _) => nn.ReLU()));

    private static readonly Gen<BlockItem> Layer = Gen.Frequency(
        (4, from channels in Channels
            from kernel in Gen.Int[1, 3]
            from stride in Stride
            from padding in Gen.Int[0, 1]
            from bias in Gen.Bool
            select (BlockItem)Conv(channels, kernel, stride, padding, bias)),
        (1, BatchNorm),
        (1, ReLU),
        (1, Gen.Const<BlockItem>(new BlockLayer("MaxPool(2, Stride = 1)", static (_, _, _) => nn.MaxPool2d(2, stride: 1)))));

    private static readonly Gen<OracleBlock> ModelBlock = Block("OracleBlock", 0, shortcut: false);

    public static readonly Gen<BlockDeclaration> Network =
        from block in ModelBlock
        from inputChannels in Gen.Int[1, 4]
        from size in Gen.Int[1, 12]
        from stages in Gen.Select(Gen.Int[1, 6], Gen.Int[1, 2], Gen.Int[1, 2]).Array[1, 2]
        from head in Gen.Bool
        from classes in Gen.Int[1, 5]
        select new BlockDeclaration(block, inputChannels, size, stages, head ? classes : null);

    private static BlockLayer Conv(BlockInt channels, int kernel, BlockInt stride, int padding, bool bias) => new BlockLayer(
        $"Conv({channels.Text}, {kernel}, Stride = {stride.Text}, Padding = {padding}, Bias = {(bias ? "true" : "false")})",
        (shape, c, s) => nn.Conv2d(shape[1], channels.Evaluate(c, s), kernel, stride: stride.Evaluate(c, s), padding: padding, bias: bias));

    /// <summary>A convolution with an odd kernel and half its size as padding: it divides the size by its stride exactly as a 1x1 projection does.</summary>
    private static Gen<BlockItem> SizeKeepingConv(Gen<BlockInt> channels, BlockInt stride) =>
        from c in channels
        from kernel in Gen.OneOf(Gen.Const(1), Gen.Const(3))
        from bias in Gen.Bool
        select (BlockItem)Conv(c, kernel, stride, kernel / 2, bias);

    /// <summary>
    /// A random block named <paramref name="name"/>. Some bodies are drawn freely from the layers
    /// (and, for some blocks, stages of one nested block); the others are built to fit their join
    /// (see <see cref="Assemble"/>). Blocks used by other blocks are built to fit more often, so that
    /// a fair share of the networks that use them is clean. A <paramref name="shortcut"/> block's
    /// fitting convolutions output <c>Block.Channels</c> (the body's channels), and it mostly has no
    /// join of its own. Blocks above <see cref="LeafDepth"/> may nest blocks and use shortcut blocks,
    /// the model's own block most often.
    /// </summary>
    private static Gen<OracleBlock> Block(string name, int depth, bool shortcut)
    {
        var fittingChannels = shortcut ? Gen.Const(BlockChannels) : Channels;
        var keepingLayer = Gen.Frequency((3, SizeKeepingConv(fittingChannels, One)), (1, BatchNorm), (1, ReLU));
        var stridingLayer = SizeKeepingConv(fittingChannels, BlockStride);
        var plain = (Any: Layer, Striding: stridingLayer, Keeping: keepingLayer);
        var fitting = depth == 0 ? 1 : 3;
        var unjoined = shortcut ? 6 : 2;
        if (depth == LeafDepth)
        {
            return Assemble(name, Gen.Const(plain), fitting, Joins(unjoined, null, 0));
        }

        // The nested block is drawn once per block, so that all of its stages use the same class.
        var nesting = depth == 0 ? 4 : 2;
        var kits = Gen.Frequency(
            (10 - nesting, Gen.Const(plain)),
            (nesting, Block(name + "In", depth + 1, shortcut: false).Select(inner => (
                Any: Gen.Frequency((3, Layer), (2, Stage(inner, Channels, StageStride))),
                Striding: Gen.Frequency((3, stridingLayer), (2, Stage(inner, fittingChannels, Gen.Const(BlockStride)))),
                Keeping: Gen.Frequency((3, keepingLayer), (1, Stage(inner, fittingChannels, Gen.Const(One))))))));
        return Assemble(name, kits, fitting, Joins(unjoined, Block(name + "Skip", depth + 1, shortcut: true), nesting));
    }

    /// <summary>A nested stage of <paramref name="inner"/>; its channels and stride may use the outer block's parameters.</summary>
    private static Gen<BlockItem> Stage(OracleBlock inner, Gen<BlockInt> channels, Gen<BlockInt> stride) =>
        from c in channels
        from blocks in Gen.Int[1, 2]
        from s in stride
        select (BlockItem)new NestedStage(inner, c, blocks, s);

    private static Gen<(OracleJoin Join, OracleBlock? Shortcut)> Joins(int unjoined, Gen<OracleBlock>? shortcut, int shortcutWeight)
    {
        (int, IGen<(OracleJoin, OracleBlock?)>) Plain(int weight, OracleJoin join) => (weight, Gen.Const<(OracleJoin, OracleBlock?)>((join, null)));
        var plain = new[] { Plain(unjoined, OracleJoin.None), Plain(2, OracleJoin.AddAuto), Plain(1, OracleJoin.AddIdentity), Plain(1, OracleJoin.AddProjection), Plain(2, OracleJoin.Concat) };
        return shortcut is null
            ? Gen.Frequency(plain)
            : Gen.Frequency(plain.Append((shortcutWeight, shortcut.Select(static b => (OracleJoin.AddBlock, (OracleBlock?)b)))).ToArray());
    }

    /// <summary>
    /// A block from its items: a free body, or one built to fit its join (a concatenation and an
    /// identity need the size kept; the other joins project, so the body applies the stride once).
    /// </summary>
    private static Gen<OracleBlock> Assemble(string name, Gen<(Gen<BlockItem> Any, Gen<BlockItem> Striding, Gen<BlockItem> Keeping)> kits, int fitting, Gen<(OracleJoin Join, OracleBlock? Shortcut)> joins) =>
        from kit in kits
        from joining in joins
        from body in Gen.Frequency(
            (1, kit.Any.Array[1, 3]),
            (fitting, joining.Join is OracleJoin.Concat or OracleJoin.AddIdentity
                ? kit.Keeping.Array[1, 3]
                : from first in kit.Striding from rest in kit.Keeping.Array[0, 2] select rest.Prepend(first).ToArray()))
        from after in joining.Join == OracleJoin.None ? Gen.Const(Array.Empty<BlockItem>()) : Gen.Frequency((1, kit.Any), (2, kit.Keeping)).Array[0, 1]
        select new OracleBlock(name, body, joining.Join, joining.Shortcut, after);
}
