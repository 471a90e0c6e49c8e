using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DeclCnn.CodeFixes;

/// <summary>Reads a layer attribute the way the generator does: by its bound values, not its text.</summary>
internal static class DeclarationSyntax
{
    /// <summary>The bound attribute of <paramref name="syntax"/>, or null while it does not bind.</summary>
    public static AttributeData? Bind(SemanticModel model, AttributeSyntax syntax, CancellationToken cancellationToken)
    {
        if (syntax.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type || model.GetDeclaredSymbol(type, cancellationToken) is not { } symbol)
        {
            return null;
        }

        return symbol.GetAttributes().FirstOrDefault(a =>
            a.ApplicationSyntaxReference is { } reference && reference.SyntaxTree == syntax.SyntaxTree && reference.Span == syntax.Span);
    }

    /// <summary>Whether the attribute is DeclCnn's <paramref name="metadataName"/> (e.g. <c>DeclCnn.ConvAttribute</c>).</summary>
    public static bool Is(AttributeData attribute, string metadataName) =>
        attribute.AttributeClass?.ToDisplayString() == metadataName;

    /// <summary>
    /// A convolution's kernel and dilation as (height, width) pairs, from the constructor (<c>kernelSize</c>, or
    /// <c>kernelHeight</c> and <c>kernelWidth</c>) and the <c>Dilation</c> property; null when one is not a constant.
    /// </summary>
    public static (int KernelHeight, int KernelWidth, int DilationHeight, int DilationWidth)? ConvSizes(AttributeData conv)
    {
        int? kernelHeight = null, kernelWidth = null;
        var parameters = conv.AttributeConstructor?.Parameters ?? default;
        for (var i = 0; i < conv.ConstructorArguments.Length && i < parameters.Length; i++)
        {
            if (conv.ConstructorArguments[i].Value is not int value)
            {
                continue;
            }

            switch (parameters[i].Name)
            {
                case "kernelSize":
                    (kernelHeight, kernelWidth) = (value, value);
                    break;
                case "kernelHeight":
                    kernelHeight = value;
                    break;
                case "kernelWidth":
                    kernelWidth = value;
                    break;
            }
        }

        var dilation = conv.NamedArguments.FirstOrDefault(static a => a.Key == "Dilation").Value;
        (int, int)? dilations = dilation.IsNull || dilation.Kind == TypedConstantKind.Error ? (1, 1)
            : dilation.Kind == TypedConstantKind.Primitive && dilation.Value is int d ? (d, d)
            : dilation.Kind == TypedConstantKind.Array && dilation.Values.Length == 2 && dilation.Values.All(static v => v.Value is int)
                ? ((int)dilation.Values[0].Value!, (int)dilation.Values[1].Value!)
                : null;
        return kernelHeight is { } h && kernelWidth is { } w && dilations is { } dd ? (h, w, dd.Item1, dd.Item2) : null;
    }

    /// <summary>A size as the DSL writes it: <c>1</c>, or <c>new[] { 1, 2 }</c>.</summary>
    public static string WriteSize(int height, int width) =>
        height == width ? height.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"new[] {{ {height}, {width} }}";
}
