using System;
using System.Collections.Generic;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;
using static DeclCnn.Generators.Shapes.LayerDescriber;
using Attr = DeclCnn.DropoutAttribute;

namespace DeclCnn.Generators.Kinds;

/// <summary><c>[Dropout]</c>.</summary>
internal sealed record DropoutSpec(double P) : ModuleSpec
{
    public override ModuleKind Module => DropoutKind.Instance;
}

/// <summary><c>[Dropout]</c>: <c>torch.nn.Dropout</c>, which keeps the shape.</summary>
internal sealed class DropoutKind : ModuleKind<DropoutSpec>
{
    public static readonly DropoutKind Instance = new();

    private static readonly Attr Defaults = new();

    private DropoutKind()
    {
    }

    public override IReadOnlyCollection<string> BindableProperties => Array.Empty<string>();

    public override bool AlwaysNumbered => false;

    public override bool AllowedInBlock => true;

    public override LayerSpec Read(AttributeArguments arguments) => new DropoutSpec(arguments.Double(nameof(Attr.P), Defaults.P, kindChecksRange: true));

    protected override DropoutSpec Bind(DropoutSpec spec, string property, int value) => spec;

    protected override string Describe(DropoutSpec spec, WrittenArguments written) => Call("Dropout", Number(spec.P), string.Empty);

    protected override Result<LayerOutput> Rule(DropoutSpec spec, LayerStep step) =>
        // Stricter than PyTorch, which also accepts p = 1: a layer that always outputs zeros is a bug.
        spec.P >= 0 && spec.P < 1
            ? new LayerOutput(step.Input, 0)
            : ShapeFault.Of(DropoutOutOfRange, nameof(Attr.P), step.Reference, Number(spec.P));

    protected override string NamePrefix(DropoutSpec spec) => "dropout";

    protected override string ModuleType(DropoutSpec spec, bool flatInput) => "Dropout";

    protected override string Create(DropoutSpec spec, ModuleContext context) => ModuleFactory.Call("Dropout", ModuleFactory.Number(spec.P));

    protected override IntExpression OutChannels(DropoutSpec spec, ModuleContext context) => context.InChannels;

    protected override LayerWeights Weights(DropoutSpec spec) => LayerWeights.None;

    protected override void WriteOnnx(DropoutSpec spec, OnnxContext context, IndentedWriter writer) => writer.Line(context.Call("Identity"));
}
