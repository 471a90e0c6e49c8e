using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeclCnn.Generators.Kinds;
using DeclCnn.Generators.Model;
using Microsoft.CodeAnalysis;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;

namespace DeclCnn.Generators.Parsing;

/// <summary>
/// Reads one layer attribute's arguments by property name, whether they were passed to the
/// constructor or set as named properties, and collects wrong-typed values as diagnostics.
/// </summary>
internal sealed class AttributeArguments
{
    private readonly Dictionary<string, TypedConstant> values = new();
    private readonly LayerDeclarationBuilder owner;

    private readonly AttributeData attribute;

    public AttributeArguments(AttributeData attribute, LayerKind kind, LayerDeclarationBuilder owner)
    {
        this.attribute = attribute;
        this.owner = owner;
        var parameters = attribute.AttributeConstructor!.Parameters;
        for (var i = 0; i < parameters.Length && i < attribute.ConstructorArguments.Length; i++)
        {
            foreach (var property in kind.PropertiesOf(parameters[i].Name))
            {
                values[property] = attribute.ConstructorArguments[i];
            }
        }

        foreach (var named in attribute.NamedArguments)
        {
            values[named.Key] = named.Value;
        }
    }

    public string? Name => String(nameof(LayerAttribute.Name));

    /// <summary>The attribute's first type argument (a stage's block), or null while it does not bind.</summary>
    public BlockReference? TypeArgument =>
        attribute.AttributeClass is { TypeArguments: [INamedTypeSymbol type] }
            ? new BlockReference(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), type.Name)
            : null;

    /// <summary>An enum-typed argument, such as <c>Init</c> or <c>Shortcut</c>.</summary>
    public TEnum Enum<TEnum>(string property, TEnum defaultValue)
        where TEnum : struct, System.Enum =>
        Scalar(property) is int number ? (TEnum)System.Enum.ToObject(typeof(TEnum), number) : defaultValue;

    public int Int(string property, int defaultValue) =>
        Scalar(property) is int number ? number : defaultValue;

    /// <summary>An int argument (not an enum), or null.</summary>
    public int? IntConstant(string property) =>
        values.TryGetValue(property, out var value) && value.Kind == TypedConstantKind.Primitive && value.Value is int number ? number : null;

    public bool Bool(string property, bool defaultValue) =>
        Scalar(property) is bool flag ? flag : defaultValue;

    /// <summary>
    /// A double-typed argument. NaN and infinities are reported (no layer takes them, and C# has no literal
    /// for them), unless <paramref name="kindChecksRange"/>: the kind reports them with its own range.
    /// </summary>
    public double Double(string property, double defaultValue, bool kindChecksRange = false)
    {
        if (Scalar(property) is not double number)
        {
            return defaultValue;
        }

        if (!kindChecksRange && (double.IsNaN(number) || double.IsInfinity(number)))
        {
            owner.Report(ArgumentOutOfRange, property, property, "a finite number", Shapes.LayerDescriber.Number(number));
            return defaultValue;
        }

        return number;
    }

    public string? String(string property) =>
        Scalar(property) as string;

    public bool Has(string property) => values.TryGetValue(property, out var value) && !value.IsNull;

    /// <summary>A <c>typeof(...)</c> argument, as a fully qualified name.</summary>
    public string? TypeName(string property) =>
        Scalar(property) is INamedTypeSymbol type ? type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) : null;

    /// <summary>The value of a non-array argument (reading an array's <c>Value</c> throws).</summary>
    private object? Scalar(string property) =>
        values.TryGetValue(property, out var value) && value.Kind != TypedConstantKind.Array ? value.Value : null;

    /// <summary>An <c>object</c>-typed size: an int for both dimensions, or <c>new[] { height, width }</c>.</summary>
    public Pair Pair(string property, Pair defaultValue)
    {
        if (!values.TryGetValue(property, out var value) || value.IsNull)
        {
            return defaultValue;
        }

        if (value.Kind == TypedConstantKind.Primitive && value.Value is int number)
        {
            return Model.Pair.Square(number);
        }

        if (value.Kind == TypedConstantKind.Array && value.Values.Length == 2 && value.Values.All(static v => v.Value is int))
        {
            return new Pair((int)value.Values[0].Value!, (int)value.Values[1].Value!);
        }

        owner.Report(InvalidArgumentType, property, property, "an int or new[] { height, width }", Display(value));
        return defaultValue;
    }

    /// <summary>A convolution's padding: a size as for <see cref="Pair"/>, or "same" / "valid".</summary>
    public PaddingSpec Padding(string property)
    {
        if (Scalar(property) is string text)
        {
            switch (text)
            {
                case "same":
                    return new PaddingSpec(PaddingMode.Same, Model.Pair.Square(0));
                case "valid":
                    return new PaddingSpec(PaddingMode.Valid, Model.Pair.Square(0));
                default:
                    owner.Report(UnknownPadding, property, text, Diagnostics.Suggestions.DidYouMean(text, PaddingSpec.Modes));
                    return PaddingSpec.None;
            }
        }

        return new PaddingSpec(PaddingMode.Explicit, Pair(property, Model.Pair.Square(0)));
    }

    private static string Display(TypedConstant value) => value.Kind switch
    {
        TypedConstantKind.Array => $"an array of {value.Values.Length} {(value.Type as IArrayTypeSymbol)?.ElementType.ToDisplayString() ?? "values"}",
        _ when value.Value is string text => $"\"{text}\"",
        _ when value.Value is System.IFormattable formattable => $"{formattable.ToString(null, CultureInfo.InvariantCulture)} ({value.Type?.ToDisplayString()})",
        _ => value.Value?.ToString() ?? "null",
    };
}
