using System.Collections.Generic;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;
using static DeclCnn.Generators.Shapes.LayerDescriber;
using static DeclCnn.Generators.Shapes.ShapeChecks;
using Attr = DeclCnn.StageAttribute<object>;

namespace DeclCnn.Generators.Kinds;

/// <summary><c>[Stage&lt;TBlock&gt;]</c>: <see cref="Blocks"/> uses of a block, the first with <see cref="Stride"/>.</summary>
internal sealed record StageSpec(string BlockMetadataName, string BlockName, int Channels, int Blocks, int Stride) : ModuleSpec
{
    public override ModuleKind Module => StageKind.Instance;
}

/// <summary>
/// <c>[Stage&lt;TBlock&gt;]</c>: a <c>torch.nn.Sequential</c> of blocks, built as ResNet's
/// <c>_make_layer</c> builds them; each block is traced with the values of its use (<see cref="BlockTracer"/>).
/// </summary>
internal sealed class StageKind : ModuleKind<StageSpec>
{
    /// <summary>The most blocks one stage may repeat (the deepest published ResNets use 36).</summary>
    public const int MaxBlocks = 1000;

    public static readonly StageKind Instance = new();

    private static readonly Attr Defaults = new(1);

    private StageKind()
    {
    }

    public override IReadOnlyCollection<string> BindableProperties { get; } = new[] { nameof(Attr.Channels), nameof(Attr.Stride) };

    public override bool AlwaysNumbered => true;

    public override bool AllowedInBlock => true;

    public override LayerSpec? Read(AttributeArguments arguments) => arguments.TypeArgument is { } block
        ? new StageSpec(block.MetadataName, block.Name, arguments.Int(nameof(Attr.Channels), 0), arguments.Int(nameof(Attr.Blocks), Defaults.Blocks), arguments.Int(nameof(Attr.Stride), Defaults.Stride))
        : null;

    protected override StageSpec Bind(StageSpec spec, string property, int value) => property switch
    {
        nameof(Attr.Channels) => spec with { Channels = value },
        nameof(Attr.Stride) => spec with { Stride = value },
        _ => spec,
    };

    protected override string Describe(StageSpec spec, WrittenArguments written) =>
        Call($"Stage<{spec.BlockName}>", written[nameof(Attr.Channels)] ?? Number(spec.Channels), Named(
            (nameof(Attr.Blocks), spec.Blocks == Defaults.Blocks ? null : Number(spec.Blocks)),
            (nameof(Attr.Stride), written[nameof(Attr.Stride)] ?? (spec.Stride == Defaults.Stride ? null : Number(spec.Stride)))));

    protected override Result<LayerOutput> Rule(StageSpec spec, LayerStep step)
    {
        var invalid = FeatureMap(step)
            ?? Positive(step, nameof(Attr.Channels), spec.Channels)
            ?? Positive(step, nameof(Attr.Blocks), spec.Blocks)
            ?? Positive(step, nameof(Attr.Stride), spec.Stride);
        if (invalid is not null)
        {
            return invalid;
        }

        // Each block is traced and written out one by one: bound the work a typo like 1 << 30 would ask for.
        if (spec.Blocks > MaxBlocks)
        {
            return ShapeFault.Of(ArgumentOutOfRange, nameof(Attr.Blocks), step.Reference, nameof(Attr.Blocks), $"at most {Number(MaxBlocks)}", Number(spec.Blocks));
        }

        return BlockTracer.TraceStage(step, spec.BlockMetadataName, spec.Channels, spec.Blocks, spec.Stride);
    }

    /// <summary>The blocks' own layers, as their traces counted them.</summary>
    protected override long MultiplyAdds(StageSpec spec, Shape input, LayerOutput output) => output.BlockMultiplyAdds;

    protected override string NamePrefix(StageSpec spec) => "layer";

    protected override string ModuleType(StageSpec spec, bool flatInput) => "Sequential";

    /// <summary>ResNet's <c>_make_layer</c>: the first block takes the stage's input and stride, the rest stride 1.</summary>
    protected override string Create(StageSpec spec, ModuleContext context)
    {
        var inputs = BlockInputs(spec, context);
        var channels = context.Arguments.Int(nameof(Attr.Channels), spec.Channels);
        var blocks = new List<string>();
        for (var i = 0; i < spec.Blocks; i++)
        {
            var stride = i == 0 ? context.Arguments.Int(nameof(Attr.Stride), spec.Stride) : "1";
            blocks.Add($"({ModuleFactory.Quote(ModuleFactory.Number(i))}, new {spec.BlockMetadataName}({inputs[i].ToCSharp()}, {channels}, {stride}))");
        }

        return $"global::TorchSharp.torch.nn.Sequential({string.Join(", ", blocks)})";
    }

    protected override IntExpression OutChannels(StageSpec spec, ModuleContext context)
    {
        var inputs = BlockInputs(spec, context);
        return Next(spec, context, inputs[inputs.Count - 1], spec.Blocks - 1);
    }

    protected override LayerWeights Weights(StageSpec spec) => LayerWeights.None;

    /// <summary>Each block adds its operations under the stage's scope and its own index, with the values of its use.</summary>
    protected override void WriteOnnx(StageSpec spec, OnnxContext context, IndentedWriter writer)
    {
        var inputs = BlockInputs(spec, context.Module);
        var channels = context.Arguments.Int(nameof(Attr.Channels), spec.Channels);
        using (writer.Block($"using ({OnnxContext.Builder}.Scope({ModuleFactory.Quote(context.Name)}))"))
        {
            for (var i = 0; i < spec.Blocks; i++)
            {
                var stride = i == 0 ? context.Arguments.Int(nameof(Attr.Stride), spec.Stride) : "1";
                var index = ModuleFactory.Quote(ModuleFactory.Number(i));
                writer.Line($"{OnnxContext.Value} = {spec.BlockMetadataName}.ExportOnnx({OnnxContext.Builder}, {OnnxContext.Value}, {index}, {inputs[i].ToCSharp()}, {channels}, {stride});");
            }
        }
    }

    /// <summary>The same blocks as <see cref="Create"/>'s, each a module of the block's Python class, keyed by index.</summary>
    protected override string CreatePyTorch(StageSpec spec, PyTorchContext context)
    {
        var inputs = BlockInputs(spec, context.Module);
        var channels = context.Int(nameof(Attr.Channels), spec.Channels);
        var blocks = new List<string>();
        for (var i = 0; i < spec.Blocks; i++)
        {
            var stride = i == 0 ? context.Int(nameof(Attr.Stride), spec.Stride) : "1";
            blocks.Add($"{PyTorchContext.BlockClass(spec.BlockMetadataName)}({inputs[i].ToPython()}, {channels}, {stride})");
        }

        return PyTorchContext.Call("Sequential", blocks.ToArray());
    }

    /// <summary>The channels each block receives: traced in a model; in a block, the nested block's output expression over the outer block's.</summary>
    private static List<IntExpression> BlockInputs(StageSpec spec, ModuleContext context)
    {
        var inputs = new List<IntExpression>();
        if (context.BlockOutput is null)
        {
            foreach (var traced in context.TracedBlockInputs)
            {
                inputs.Add(new ConstantExpression(traced));
            }

            return inputs;
        }

        inputs.Add(context.InChannels);
        for (var i = 1; i < spec.Blocks; i++)
        {
            inputs.Add(Next(spec, context, inputs[i - 1], i - 1));
        }

        return inputs;
    }

    /// <summary>The output of block <paramref name="index"/>, which receives <paramref name="input"/> (in a block only).</summary>
    private static IntExpression Next(StageSpec spec, ModuleContext context, IntExpression input, int index)
    {
        var channels = context.Arguments.Value(nameof(Attr.Channels), spec.Channels);
        var stride = index == 0 ? context.Arguments.Value(nameof(Attr.Stride), spec.Stride) : new ConstantExpression(1);
        return context.BlockOutput!(spec.BlockMetadataName).Substitute(input, channels, stride);
    }
}
