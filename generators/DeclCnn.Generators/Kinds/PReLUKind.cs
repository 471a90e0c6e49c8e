using System;
using System.Collections.Generic;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;
using Attr = DeclCnn.PReLUAttribute;

namespace DeclCnn.Generators.Kinds;

/// <summary><c>[PReLU]</c>.</summary>
internal sealed record PReLUSpec(bool PerChannel, double InitialSlope) : ModuleSpec
{
    public override ModuleKind Module => PReLUKind.Instance;
}

/// <summary><c>[PReLU]</c>: <c>torch.nn.PReLU</c>, a learned slope for the whole layer or one per channel.</summary>
internal sealed class PReLUKind : ModuleKind<PReLUSpec>
{
    public static readonly PReLUKind Instance = new();

    private static readonly Attr Defaults = new();

    private PReLUKind()
    {
    }

    public override IReadOnlyCollection<string> BindableProperties => Array.Empty<string>();

    public override bool AlwaysNumbered => false;

    public override bool AllowedInBlock => true;

    public override LayerSpec Read(AttributeArguments arguments) =>
        new PReLUSpec(arguments.Bool(nameof(Attr.PerChannel), Defaults.PerChannel), arguments.Double(nameof(Attr.InitialSlope), Defaults.InitialSlope));

    protected override PReLUSpec Bind(PReLUSpec spec, string property, int value) => spec;

    protected override string Describe(PReLUSpec spec, WrittenArguments written) =>
        LayerDescriber.Call("PReLU", LayerDescriber.Named((nameof(Attr.PerChannel), spec.PerChannel ? "true" : null)));

    /// <summary>PyTorch's num_parameters: 1, or the channels (dimension 1, the features of a flat input).</summary>
    protected override Result<LayerOutput> Rule(PReLUSpec spec, LayerStep step) =>
        new LayerOutput(step.Input, spec.PerChannel ? step.Input.Channels : 1);

    protected override long MultiplyAdds(PReLUSpec spec, Shape input, LayerOutput output) => 0;

    protected override string NamePrefix(PReLUSpec spec) => "prelu";

    protected override string ModuleType(PReLUSpec spec, bool flatInput) => "PReLU";

    protected override string Create(PReLUSpec spec, ModuleContext context) => ModuleFactory.Call(
        "PReLU",
        spec.PerChannel ? context.InChannels.ToCSharp() : "1",
        spec.InitialSlope == Defaults.InitialSlope ? null : $"init: {ModuleFactory.Number(spec.InitialSlope)}");

    protected override IntExpression OutChannels(PReLUSpec spec, ModuleContext context) => context.InChannels;

    protected override LayerWeights Weights(PReLUSpec spec) => LayerWeights.None;

    protected override void WriteOnnx(PReLUSpec spec, OnnxContext context, IndentedWriter writer) =>
        writer.Line(context.Call("PRelu", context.Rank == 4 ? null : $"rank: {ModuleFactory.Number(context.Rank)}"));

    /// <summary>PyTorch's <c>num_parameters</c> defaults to one slope for all channels.</summary>
    protected override string CreatePyTorch(PReLUSpec spec, PyTorchContext context) => PyTorchContext.Call(
        "PReLU",
        spec.PerChannel ? context.InChannels : null,
        spec.InitialSlope == Defaults.InitialSlope ? null : $"init={PyTorchContext.Number(spec.InitialSlope)}");
}
