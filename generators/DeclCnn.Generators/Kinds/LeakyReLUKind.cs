using System;
using System.Collections.Generic;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;
using Attr = DeclCnn.LeakyReLUAttribute;

namespace DeclCnn.Generators.Kinds;

/// <summary><c>[LeakyReLU]</c>.</summary>
internal sealed record LeakyReLUSpec(double NegativeSlope) : ModuleSpec
{
    public override ModuleKind Module => LeakyReLUKind.Instance;
}

/// <summary><c>[LeakyReLU]</c>: <c>torch.nn.LeakyReLU</c>.</summary>
internal sealed class LeakyReLUKind : ModuleKind<LeakyReLUSpec>
{
    public static readonly LeakyReLUKind Instance = new();

    private static readonly Attr Defaults = new();

    private LeakyReLUKind()
    {
    }

    public override IReadOnlyCollection<string> BindableProperties => Array.Empty<string>();

    public override bool AlwaysNumbered => false;

    public override bool AllowedInBlock => true;

    public override LayerSpec Read(AttributeArguments arguments) => new LeakyReLUSpec(arguments.Double(nameof(Attr.NegativeSlope), Defaults.NegativeSlope));

    protected override LeakyReLUSpec Bind(LeakyReLUSpec spec, string property, int value) => spec;

    protected override string Describe(LeakyReLUSpec spec, WrittenArguments written) => "LeakyReLU";

    protected override Result<LayerOutput> Rule(LeakyReLUSpec spec, LayerStep step) => new LayerOutput(step.Input, 0);

    protected override long MultiplyAdds(LeakyReLUSpec spec, Shape input, LayerOutput output) => 0;

    protected override string NamePrefix(LeakyReLUSpec spec) => "leakyrelu";

    protected override string ModuleType(LeakyReLUSpec spec, bool flatInput) => "LeakyReLU";

    protected override string Create(LeakyReLUSpec spec, ModuleContext context) =>
        ModuleFactory.Call("LeakyReLU", spec.NegativeSlope == Defaults.NegativeSlope ? null : ModuleFactory.Number(spec.NegativeSlope));

    protected override IntExpression OutChannels(LeakyReLUSpec spec, ModuleContext context) => context.InChannels;

    protected override LayerWeights Weights(LeakyReLUSpec spec) => LayerWeights.None;

    protected override void WriteOnnx(LeakyReLUSpec spec, OnnxContext context, IndentedWriter writer) =>
        writer.Line(context.Call("LeakyRelu", spec.NegativeSlope == Defaults.NegativeSlope ? null : $"negativeSlope: {ModuleFactory.Number(spec.NegativeSlope)}"));

    protected override string CreatePyTorch(LeakyReLUSpec spec, PyTorchContext context) =>
        PyTorchContext.Call("LeakyReLU", spec.NegativeSlope == Defaults.NegativeSlope ? null : PyTorchContext.Number(spec.NegativeSlope));
}
