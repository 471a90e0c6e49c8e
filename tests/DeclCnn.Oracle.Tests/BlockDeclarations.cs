using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CsCheck;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Oracle.Tests;

/// <summary>An integer argument of a block layer: a constant, <c>Block.Channels</c> times a factor, or <c>Block.Stride</c>.</summary>
internal sealed record BlockInt(string Text, Func<long, long, long> Evaluate);

/// <summary>A layer of a random block, written with block parameters and built by hand for given parameter values.</summary>
internal sealed record BlockLayer(string Attribute, Func<long[], long, long, nn.Module<Tensor, Tensor>> Build);

/// <summary>How a random block joins its body and its input.</summary>
internal enum OracleJoin
{
    None,
    AddAuto,
    AddIdentity,
    AddProjection,
    Concat,
}

/// <summary>A random block, used by a random model through one or two stages.</summary>
internal sealed record BlockDeclaration(IReadOnlyList<BlockLayer> Body, OracleJoin Join, int InputChannels, int Size, IReadOnlyList<(int Channels, int Blocks, int Stride)> Stages, int? Classes)
{
    public string Source()
    {
        var join = Join switch
        {
            OracleJoin.AddAuto => "[Add]\n",
            OracleJoin.AddIdentity => "[Add(Shortcut = Shortcut.Identity)]\n",
            OracleJoin.AddProjection => "[Add(Shortcut = Shortcut.Projection)]\n",
            OracleJoin.Concat => "[Concat]\n",
            _ => string.Empty,
        };
        var stages = string.Concat(Stages.Select(static s => $"[Stage<OracleBlock>({s.Channels}, Blocks = {s.Blocks}, Stride = {s.Stride})]\n"));
        var head = Classes is { } classes ? $"[GlobalAvgPool, Flatten, Dense({classes})]\n" : string.Empty;
        return "using DeclCnn;\n\n[Block]\n"
            + string.Concat(Body.Select(static l => $"[{l.Attribute}]\n")) + join
            + "public partial class OracleBlock;\n\n"
            + $"[Input({InputChannels}, {Size}, {Size})]\n" + stages + head
            + $"public partial class {Declaration.ClassName};\n";
    }

    public override string ToString() => Source();

    /// <summary>Runs the network built by hand: stages as ResNet's _make_layer builds them, joins as a hand-written block computes them.</summary>
    public (List<string> Rows, bool Broadcast) RunByHand()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var x = randn(2, InputChannels, Size, Size);
        var rows = new List<string>();
        var broadcast = false;
        foreach (var (channels, blocks, stride) in Stages)
        {
            var parameters = 0L;
            for (var b = 0; b < blocks; b++)
            {
                var blockStride = b == 0 ? stride : 1;
                var input = x;
                var body = input;
                foreach (var layer in Body)
                {
                    using var module = layer.Build(body.shape, channels, blockStride);
                    module.eval();
                    body = module.call(body);
                    parameters += module.parameters().Sum(static p => p.numel());
                }

                switch (Join)
                {
                    case OracleJoin.None:
                        x = body;
                        break;
                    case OracleJoin.Concat:
                        x = cat(new[] { input, body }, 1);
                        break;
                    default:
                        var project = Join == OracleJoin.AddProjection
                            || (Join == OracleJoin.AddAuto && (blockStride != 1 || input.shape[1] != body.shape[1]));
                        var shortcut = input;
                        if (project)
                        {
                            using var conv = nn.Conv2d(input.shape[1], body.shape[1], 1, stride: blockStride, bias: false);
                            using var norm = nn.BatchNorm2d(body.shape[1]);
                            norm.eval();
                            shortcut = norm.call(conv.call(input));
                            parameters += conv.parameters().Concat(norm.parameters()).Sum(static p => p.numel());
                        }

                        // PyTorch broadcasts a size-1 dimension silently; DeclCnn requires equal shapes.
                        broadcast |= !shortcut.shape.SequenceEqual(body.shape);
                        x = body + shortcut;
                        break;
                }
            }

            rows.Add($"Sequential [{string.Join(", ", x.shape.Skip(1))}] {parameters}");
        }

        if (Classes is { } classes)
        {
            x = nn.functional.adaptive_avg_pool2d(x, 1);
            rows.Add($"AdaptiveAvgPool2d [{string.Join(", ", x.shape.Skip(1))}] 0");
            x = x.flatten(1);
            rows.Add($"Flatten [{string.Join(", ", x.shape.Skip(1))}] 0");
            using var fc = nn.Linear(x.shape[1], classes);
            x = fc.call(x);
            rows.Add($"Linear [{string.Join(", ", x.shape.Skip(1))}] {fc.parameters().Sum(static p => p.numel())}");
        }

        return (rows, broadcast);
    }
}

/// <summary>CsCheck generators of random blocks and the models that use them.</summary>
internal static class BlockDeclarations
{
    private static readonly Gen<BlockInt> Channels = Gen.OneOf(
        Gen.Const(new BlockInt("Block.Channels", static (channels, _) => channels)),
        Gen.Const(new BlockInt("Block.Channels * 2", static (channels, _) => channels * 2)),
        Gen.Int[1, 6].Select(static c => new BlockInt(c.ToString(CultureInfo.InvariantCulture), (_, _) => c)));

    private static readonly Gen<BlockInt> Stride = Gen.OneOf(
        Gen.Const(new BlockInt("Block.Stride", static (_, stride) => stride)),
        Gen.Const(new BlockInt("1", static (_, _) => 1)));

    private static readonly Gen<BlockLayer> Conv =
        from channels in Channels
        from kernel in Gen.Int[1, 3]
        from stride in Stride
        from padding in Gen.Int[0, 1]
        from bias in Gen.Bool
        select new BlockLayer(
            $"Conv({channels.Text}, {kernel}, Stride = {stride.Text}, Padding = {padding}, Bias = {(bias ? "true" : "false")})",
            (shape, c, s) => nn.Conv2d(shape[1], channels.Evaluate(c, s), kernel, stride: stride.Evaluate(c, s), padding: padding, bias: bias));

    private static readonly Gen<BlockLayer> Layer = Gen.Frequency(
        (4, Conv),
        (1, Gen.Const(new BlockLayer("BatchNorm", static (shape, _, _) => nn.BatchNorm2d(shape[1])))),
        (1, Gen.Const(new BlockLayer("ReLU", static (_, _, _) => nn.ReLU()))),
        (1, Gen.Const(new BlockLayer("MaxPool(2, Stride = 1)", static (_, _, _) => nn.MaxPool2d(2, stride: 1)))));

    public static readonly Gen<BlockDeclaration> Network =
        from body in Layer.Array[1, 3]
        from joinKind in Gen.Enum<OracleJoin>()
        from inputChannels in Gen.Int[1, 4]
        from size in Gen.Int[1, 12]
        from stages in Gen.Select(Gen.Int[1, 6], Gen.Int[1, 2], Gen.Int[1, 2]).Array[1, 2]
        from head in Gen.Bool
        from classes in Gen.Int[1, 5]
        select new BlockDeclaration(body, joinKind, inputChannels, size, stages, head ? classes : null);
}
