using System;
using System.Collections.Generic;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;
using static DeclCnn.Generators.Shapes.LayerDescriber;
using static DeclCnn.Generators.Shapes.ShapeChecks;
using Attr = DeclCnn.UpsampleAttribute;

namespace DeclCnn.Generators.Kinds;

/// <summary><c>[Upsample]</c> by a scale factor.</summary>
internal sealed record UpsampleSpec(double ScaleFactor, string Mode) : ModuleSpec
{
    public override ModuleKind Module => UpsampleKind.Instance;
}

/// <summary><c>[Upsample]</c>: <c>torch.nn.Upsample</c> by a scale factor, nearest or bilinear.</summary>
internal sealed class UpsampleKind : ModuleKind<UpsampleSpec>
{
    public static readonly UpsampleKind Instance = new();

    /// <summary>The upsampling modes DeclCnn supports.</summary>
    public static readonly string[] Modes = { "nearest", "bilinear" };

    private static readonly Attr Defaults = new(1);

    private UpsampleKind()
    {
    }

    public override IReadOnlyCollection<string> BindableProperties => Array.Empty<string>();

    public override bool AlwaysNumbered => false;

    public override bool AllowedInBlock => true;

    public override LayerSpec Read(AttributeArguments arguments) =>
        new UpsampleSpec(arguments.Double(nameof(Attr.ScaleFactor), 0, kindChecksRange: true), arguments.String(nameof(Attr.Mode)) ?? Defaults.Mode);

    protected override UpsampleSpec Bind(UpsampleSpec spec, string property, int value) => spec;

    protected override string Describe(UpsampleSpec spec, WrittenArguments written) =>
        Call("Upsample", Number(spec.ScaleFactor), Named((nameof(Attr.Mode), spec.Mode == Defaults.Mode ? null : $"\"{spec.Mode}\"")));

    protected override Result<LayerOutput> Rule(UpsampleSpec spec, LayerStep step)
    {
        if (FeatureMap(step) is { } flat)
        {
            return flat;
        }

        if (!(spec.ScaleFactor > 0) || double.IsInfinity(spec.ScaleFactor))
        {
            return ShapeFault.Of(ArgumentOutOfRange, nameof(Attr.ScaleFactor), step.Reference, nameof(Attr.ScaleFactor), "positive and finite", Number(spec.ScaleFactor));
        }

        if (Array.IndexOf(Modes, spec.Mode) < 0)
        {
            return ShapeFault.Of(UnknownUpsampleMode, nameof(Attr.Mode), step.Reference, spec.Mode, Diagnostics.Suggestions.DidYouMean(spec.Mode, Modes));
        }

        // PyTorch: floor(float(size) * scale_factor), computed in double precision.
        var output = Shape.Map(step.Input.Channels, ScaledSize(step.Input.Height, spec.ScaleFactor), ScaledSize(step.Input.Width, spec.ScaleFactor));
        return NotEmpty(step, nameof(Attr.ScaleFactor), output, "use a larger scale factor") is { } empty
            ? empty
            : new LayerOutput(output, 0);
    }

    protected override long MultiplyAdds(UpsampleSpec spec, Shape input, LayerOutput output) => 0;

    protected override string NamePrefix(UpsampleSpec spec) => "upsample";

    protected override string ModuleType(UpsampleSpec spec, bool flatInput) => "Upsample";

    protected override string Create(UpsampleSpec spec, ModuleContext context) => ModuleFactory.Call(
        "Upsample",
        $"scale_factor: new[] {{ {ModuleFactory.Number(spec.ScaleFactor)}, {ModuleFactory.Number(spec.ScaleFactor)} }}",
        spec.Mode == "bilinear" ? "mode: global::TorchSharp.torch.UpsampleMode.Bilinear" : "mode: global::TorchSharp.torch.UpsampleMode.Nearest",
        // PyTorch's default for bilinear, stated so that libtorch does not warn about it.
        spec.Mode == "bilinear" ? "align_corners: false" : null);

    protected override IntExpression OutChannels(UpsampleSpec spec, ModuleContext context) => context.InChannels;

    protected override LayerWeights Weights(UpsampleSpec spec) => LayerWeights.None;

    protected override void WriteOnnx(UpsampleSpec spec, OnnxContext context, IndentedWriter writer) => writer.Line(context.Call(
        "Upsample",
        $"scale: {ModuleFactory.Number(spec.ScaleFactor)}",
        spec.Mode == Defaults.Mode ? null : $"mode: {ModuleFactory.Quote(spec.Mode)}"));

    protected override string CreatePyTorch(UpsampleSpec spec, PyTorchContext context) => PyTorchContext.Call(
        "Upsample",
        $"scale_factor={PyTorchContext.Number(spec.ScaleFactor)}",
        spec.Mode == Defaults.Mode ? null : $"mode={PyTorchContext.Quote(spec.Mode)}",
        spec.Mode == "bilinear" ? "align_corners=False" : null);

    private static long ScaledSize(long size, double scale)
    {
        var scaled = Math.Floor(size * scale);
        return scaled >= long.MaxValue ? throw new OverflowException() : (long)scaled;
    }
}
