using System;
using System.Collections.Generic;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;
using static DeclCnn.Generators.Shapes.LayerDescriber;

namespace DeclCnn.Generators.Kinds;

/// <summary><c>[Dropout]</c> and <c>[Dropout2d]</c>.</summary>
internal sealed record DropoutSpec(DropoutKind Dropout, double P) : ModuleSpec
{
    public override ModuleKind Module => Dropout;
}

/// <summary>
/// <c>[Dropout]</c> (<c>torch.nn.Dropout</c>, element-wise) and <c>[Dropout2d]</c> (<c>torch.nn.Dropout2d</c>, whole
/// channels): both keep the shape and are the identity at inference.
/// </summary>
internal sealed class DropoutKind : ModuleKind<DropoutSpec>
{
    public static readonly DropoutKind Elements = new("Dropout", new DropoutAttribute().P, writesDefault: true);
    public static readonly DropoutKind Channels = new("Dropout2d", new Dropout2dAttribute().P, writesDefault: false);

    private readonly string name;
    private readonly double defaultP;

    // [Dropout] has always written its probability in the generated call; [Dropout2d] leaves PyTorch's default out.
    private readonly bool writesDefault;

    private DropoutKind(string name, double defaultP, bool writesDefault)
    {
        this.name = name;
        this.defaultP = defaultP;
        this.writesDefault = writesDefault;
    }

    public override IReadOnlyCollection<string> BindableProperties => Array.Empty<string>();

    public override bool AlwaysNumbered => false;

    public override bool AllowedInBlock => true;

    public override LayerSpec Read(AttributeArguments arguments) =>
        new DropoutSpec(this, arguments.Double(nameof(DropoutAttribute.P), defaultP, kindChecksRange: true));

    protected override DropoutSpec Bind(DropoutSpec spec, string property, int value) => spec;

    protected override string Describe(DropoutSpec spec, WrittenArguments written) => Call(name, Number(spec.P), string.Empty);

    protected override Result<LayerOutput> Rule(DropoutSpec spec, LayerStep step) =>
        // Stricter than PyTorch, which also accepts p = 1: a layer that always outputs zeros is a bug.
        spec.P >= 0 && spec.P < 1
            ? new LayerOutput(step.Input, 0)
            : ShapeFault.Of(DropoutOutOfRange, nameof(DropoutAttribute.P), step.Reference, Number(spec.P));

    protected override long MultiplyAdds(DropoutSpec spec, Shape input, LayerOutput output) => 0;

    protected override string NamePrefix(DropoutSpec spec) => "dropout";

    protected override string ModuleType(DropoutSpec spec, bool flatInput) => name;

    protected override string Create(DropoutSpec spec, ModuleContext context) =>
        ModuleFactory.Call(name, !writesDefault && spec.P == defaultP ? null : ModuleFactory.Number(spec.P));

    protected override IntExpression OutChannels(DropoutSpec spec, ModuleContext context) => context.InChannels;

    protected override LayerWeights Weights(DropoutSpec spec) => LayerWeights.None;

    protected override void WriteOnnx(DropoutSpec spec, OnnxContext context, IndentedWriter writer) => writer.Line(context.Call("Identity"));

    protected override string CreatePyTorch(DropoutSpec spec, PyTorchContext context) =>
        PyTorchContext.Call(name, !writesDefault && spec.P == defaultP ? null : PyTorchContext.Number(spec.P));
}
