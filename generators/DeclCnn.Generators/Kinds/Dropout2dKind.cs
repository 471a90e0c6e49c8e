using System;
using System.Collections.Generic;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;
using static DeclCnn.Generators.Shapes.LayerDescriber;
using Attr = DeclCnn.Dropout2dAttribute;

namespace DeclCnn.Generators.Kinds;

/// <summary><c>[Dropout2d]</c>.</summary>
internal sealed record Dropout2dSpec(double P) : ModuleSpec
{
    public override ModuleKind Module => Dropout2dKind.Instance;
}

/// <summary><c>[Dropout2d]</c>: <c>torch.nn.Dropout2d</c>, which drops whole channels and keeps the shape.</summary>
internal sealed class Dropout2dKind : ModuleKind<Dropout2dSpec>
{
    public static readonly Dropout2dKind Instance = new();

    private static readonly Attr Defaults = new();

    private Dropout2dKind()
    {
    }

    public override IReadOnlyCollection<string> BindableProperties => Array.Empty<string>();

    public override bool AlwaysNumbered => false;

    public override bool AllowedInBlock => true;

    public override LayerSpec Read(AttributeArguments arguments) => new Dropout2dSpec(arguments.Double(nameof(Attr.P), Defaults.P, kindChecksRange: true));

    protected override Dropout2dSpec Bind(Dropout2dSpec spec, string property, int value) => spec;

    protected override string Describe(Dropout2dSpec spec, WrittenArguments written) => Call("Dropout2d", Number(spec.P), string.Empty);

    protected override Result<LayerOutput> Rule(Dropout2dSpec spec, LayerStep step) =>
        // Stricter than PyTorch at p = 1, as for [Dropout].
        spec.P >= 0 && spec.P < 1
            ? new LayerOutput(step.Input, 0)
            : ShapeFault.Of(DropoutOutOfRange, nameof(Attr.P), step.Reference, Number(spec.P));

    protected override string NamePrefix(Dropout2dSpec spec) => "dropout";

    protected override string ModuleType(Dropout2dSpec spec, bool flatInput) => "Dropout2d";

    protected override string Create(Dropout2dSpec spec, ModuleContext context) =>
        ModuleFactory.Call("Dropout2d", spec.P == Defaults.P ? null : ModuleFactory.Number(spec.P));

    protected override IntExpression OutChannels(Dropout2dSpec spec, ModuleContext context) => context.InChannels;

    protected override LayerWeights Weights(Dropout2dSpec spec) => LayerWeights.None;

    protected override void WriteOnnx(Dropout2dSpec spec, OnnxContext context, IndentedWriter writer) => writer.Line(context.Call("Identity"));
}
