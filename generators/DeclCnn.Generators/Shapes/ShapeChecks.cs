using DeclCnn.Generators.Model;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;
using static DeclCnn.Generators.Shapes.LayerDescriber;

namespace DeclCnn.Generators.Shapes;

/// <summary>
/// Checks that several rules share; each returns the fault, or null when the check passes, so that a
/// rule chains them: <c>if ((FeatureMap(step) ?? Positive(step, ...)) is { } fault) return fault;</c>.
/// </summary>
internal static class ShapeChecks
{
    public static ShapeFault? FeatureMap(LayerStep step) =>
        step.Input.IsFlat ? ShapeFault.Of(NeedsFeatureMap, null, step.Reference, step.InputText, step.ProducerText) : null;

    public static ShapeFault? Positive(LayerStep step, string property, long value) =>
        value <= 0 ? ShapeFault.Of(ArgumentOutOfRange, property, step.Reference, property, "positive", Number(value)) : null;

    public static ShapeFault? Positive(LayerStep step, string property, Pair value) =>
        value.Height <= 0 || value.Width <= 0 ? ShapeFault.Of(ArgumentOutOfRange, property, step.Reference, property, "positive", value.ToString()) : null;

    public static ShapeFault? NonNegative(LayerStep step, string property, Pair value) =>
        value.Height < 0 || value.Width < 0 ? ShapeFault.Of(ArgumentOutOfRange, property, step.Reference, property, "zero or positive", value.ToString()) : null;

    public static ShapeFault? NonNegative(LayerStep step, string property, long value) =>
        value < 0 ? ShapeFault.Of(ArgumentOutOfRange, property, step.Reference, property, "zero or positive", Number(value)) : null;

    /// <summary>An output of at least one row and column.</summary>
    public static ShapeFault? NotEmpty(LayerStep step, string? property, Shape output, string hint) =>
        output.Height < 1 || output.Width < 1 ? ShapeFault.Of(NonPositiveOutput, property, step.Reference, step.InputText, step.ProducerText, output.ToString(), hint) : null;

    /// <summary>PyTorch's floor division, towards negative infinity.</summary>
    public static long FloorDivide(long numerator, long denominator)
    {
        var quotient = numerator / denominator;
        return (numerator % denominator != 0 && (numerator < 0) != (denominator < 0)) ? quotient - 1 : quotient;
    }
}
