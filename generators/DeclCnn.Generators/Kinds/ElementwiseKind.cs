using System;
using System.Collections.Generic;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;

namespace DeclCnn.Generators.Kinds;

/// <summary>An element-wise layer without arguments (<c>[ReLU]</c>, <c>[Tanh]</c>, ...).</summary>
internal sealed record ElementwiseSpec(ElementwiseKind Function) : ModuleSpec
{
    public override ModuleKind Module => Function;
}

/// <summary>
/// The element-wise layers without arguments, the identity included: each keeps the shape, has no parameters, and is the
/// TorchSharp module and factory of its attribute's name (<c>[ReLU]</c> is <c>torch.nn.ReLU()</c>,
/// named <c>relu</c>), exported by the builder method named after the ONNX operator (<c>Relu</c>). One instance per attribute.
/// </summary>
internal sealed class ElementwiseKind : ModuleKind<ElementwiseSpec>
{
    public static readonly ElementwiseKind ReLU = new("ReLU", "Relu");
    public static readonly ElementwiseKind Sigmoid = new("Sigmoid", "Sigmoid");
    public static readonly ElementwiseKind Tanh = new("Tanh", "Tanh");
    public static readonly ElementwiseKind SiLU = new("SiLU", "SiLU");
    public static readonly ElementwiseKind GELU = new("GELU", "Gelu");
    public static readonly ElementwiseKind Identity = new("Identity", "Identity");

    private readonly string name;
    private readonly string onnxMethod;

    private ElementwiseKind(string name, string onnxMethod)
    {
        this.name = name;
        this.onnxMethod = onnxMethod;
    }

    public override IReadOnlyCollection<string> BindableProperties => Array.Empty<string>();

    public override bool AlwaysNumbered => false;

    public override bool AllowedInBlock => true;

    public override LayerSpec Read(AttributeArguments arguments) => new ElementwiseSpec(this);

    protected override ElementwiseSpec Bind(ElementwiseSpec spec, string property, int value) => spec;

    protected override string Describe(ElementwiseSpec spec, WrittenArguments written) => name;

    protected override Result<LayerOutput> Rule(ElementwiseSpec spec, LayerStep step) => new LayerOutput(step.Input, 0);

    protected override long MultiplyAdds(ElementwiseSpec spec, Shape input, LayerOutput output) => 0;

    protected override string NamePrefix(ElementwiseSpec spec) => name.ToLowerInvariant();

    protected override string ModuleType(ElementwiseSpec spec, bool flatInput) => name;

    protected override string Create(ElementwiseSpec spec, ModuleContext context) => ModuleFactory.Call(name);

    protected override IntExpression OutChannels(ElementwiseSpec spec, ModuleContext context) => context.InChannels;

    protected override LayerWeights Weights(ElementwiseSpec spec) => LayerWeights.None;

    protected override void WriteOnnx(ElementwiseSpec spec, OnnxContext context, IndentedWriter writer) => writer.Line(context.Call(onnxMethod));

    protected override string CreatePyTorch(ElementwiseSpec spec, PyTorchContext context) => PyTorchContext.Call(name);
}
