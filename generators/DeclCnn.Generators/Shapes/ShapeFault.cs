using DeclCnn.Generators.Model;
using Microsoft.CodeAnalysis;

namespace DeclCnn.Generators.Shapes;

/// <summary>
/// Why a layer cannot run, as a shape rule returns it: the diagnostic, the attribute property at
/// fault (null for the whole attribute), the message arguments, and for a block that does not fit
/// where it is used, the same problem located in the block's own declaration.
/// </summary>
internal sealed record ShapeFault(DiagnosticDescriptor Descriptor, string? Property, EquatableArray<string> MessageArgs, EquatableArray<DiagnosticInfo> Related = default)
{
    public static ShapeFault Of(DiagnosticDescriptor descriptor, string? property, params string[] messageArgs) =>
        new(descriptor, property, messageArgs.ToEquatableArray());
}
