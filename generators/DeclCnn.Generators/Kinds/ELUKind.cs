using System;
using System.Collections.Generic;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;
using Attr = DeclCnn.ELUAttribute;

namespace DeclCnn.Generators.Kinds;

/// <summary><c>[ELU]</c>.</summary>
internal sealed record ELUSpec(double Alpha) : ModuleSpec
{
    public override ModuleKind Module => ELUKind.Instance;
}

/// <summary><c>[ELU]</c>: <c>torch.nn.ELU</c>, which keeps the shape.</summary>
internal sealed class ELUKind : ModuleKind<ELUSpec>
{
    public static readonly ELUKind Instance = new();

    private static readonly Attr Defaults = new();

    private ELUKind()
    {
    }

    public override IReadOnlyCollection<string> BindableProperties => Array.Empty<string>();

    public override bool AlwaysNumbered => false;

    public override bool AllowedInBlock => true;

    public override LayerSpec Read(AttributeArguments arguments) => new ELUSpec(arguments.Double(nameof(Attr.Alpha), Defaults.Alpha));

    protected override ELUSpec Bind(ELUSpec spec, string property, int value) => spec;

    protected override string Describe(ELUSpec spec, WrittenArguments written) =>
        LayerDescriber.Call("ELU", LayerDescriber.Named((nameof(Attr.Alpha), spec.Alpha == Defaults.Alpha ? null : LayerDescriber.Number(spec.Alpha))));

    protected override Result<LayerOutput> Rule(ELUSpec spec, LayerStep step) => new LayerOutput(step.Input, 0);

    protected override long MultiplyAdds(ELUSpec spec, Shape input, LayerOutput output) => 0;

    protected override string NamePrefix(ELUSpec spec) => "elu";

    protected override string ModuleType(ELUSpec spec, bool flatInput) => "ELU";

    protected override string Create(ELUSpec spec, ModuleContext context) =>
        ModuleFactory.Call("ELU", spec.Alpha == Defaults.Alpha ? null : $"alpha: {ModuleFactory.Number(spec.Alpha)}");

    protected override IntExpression OutChannels(ELUSpec spec, ModuleContext context) => context.InChannels;

    protected override LayerWeights Weights(ELUSpec spec) => LayerWeights.None;

    protected override void WriteOnnx(ELUSpec spec, OnnxContext context, IndentedWriter writer) =>
        writer.Line(context.Call("Elu", spec.Alpha == Defaults.Alpha ? null : $"alpha: {ModuleFactory.Number(spec.Alpha)}"));

    protected override string CreatePyTorch(ELUSpec spec, PyTorchContext context) =>
        PyTorchContext.Call("ELU", spec.Alpha == Defaults.Alpha ? null : $"alpha={PyTorchContext.Number(spec.Alpha)}");
}
