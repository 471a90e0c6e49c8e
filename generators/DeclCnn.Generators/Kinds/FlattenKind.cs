using System;
using System.Collections.Generic;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;

namespace DeclCnn.Generators.Kinds;

/// <summary><c>[Flatten]</c>.</summary>
internal sealed record FlattenSpec : ModuleSpec
{
    public override ModuleKind Module => FlattenKind.Instance;
}

/// <summary><c>[Flatten]</c>: <c>torch.nn.Flatten()</c>, <c>C*H*W</c> features per sample.</summary>
internal sealed class FlattenKind : ModuleKind<FlattenSpec>
{
    public static readonly FlattenKind Instance = new();

    private FlattenKind()
    {
    }

    public override IReadOnlyCollection<string> BindableProperties => Array.Empty<string>();

    public override bool AlwaysNumbered => false;

    public override bool AllowedInBlock => false;

    public override LayerSpec Read(AttributeArguments arguments) => new FlattenSpec();

    protected override FlattenSpec Bind(FlattenSpec spec, string property, int value) => spec;

    protected override string Describe(FlattenSpec spec, WrittenArguments written) => "Flatten";

    protected override Result<LayerOutput> Rule(FlattenSpec spec, LayerStep step) => new LayerOutput(Shape.Flat(step.Input.Elements), 0);

    protected override long MultiplyAdds(FlattenSpec spec, Shape input, LayerOutput output) => 0;

    protected override string NamePrefix(FlattenSpec spec) => "flatten";

    protected override string ModuleType(FlattenSpec spec, bool flatInput) => "Flatten";

    protected override string Create(FlattenSpec spec, ModuleContext context) => ModuleFactory.Call("Flatten");

    protected override IntExpression OutChannels(FlattenSpec spec, ModuleContext context) => context.InChannels;

    protected override LayerWeights Weights(FlattenSpec spec) => LayerWeights.None;

    protected override void WriteOnnx(FlattenSpec spec, OnnxContext context, IndentedWriter writer) => writer.Line(context.Call("Flatten"));

    protected override string CreatePyTorch(FlattenSpec spec, PyTorchContext context) => PyTorchContext.Call("Flatten");
}
