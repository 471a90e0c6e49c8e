namespace DeclCnn.Generators.Model;

/// <summary>The declared input: one sample's channels, height and width.</summary>
internal readonly record struct InputSpec(int Channels, int Height, int Width);

/// <summary>A type that contains the model class, outermost first, for emitting nested partials.</summary>
internal sealed record ContainingType(string Keyword, string Name);

/// <summary>
/// An argument of a layer attribute and where it is written, so that diagnostics can point at it.
/// <see cref="Property"/> is the attribute property the argument sets (constructor arguments
/// use the property they initialize; a square <c>kernelSize</c> sets both kernel properties).
/// </summary>
internal sealed record ArgumentLocation(string Property, LocationInfo Location);

/// <summary>
/// A layer with the source locations of its attribute and arguments (for diagnostics only), and,
/// in a block, the arguments written in terms of the block's parameters.
/// </summary>
internal sealed record LayerDeclaration(LayerSpec Spec, string AttributeName, LocationInfo Location, EquatableArray<ArgumentLocation> Arguments, EquatableArray<SymbolicArgument> Symbolic)
{
    public LocationInfo LocationOf(string? property)
    {
        if (property is not null)
        {
            foreach (var argument in Arguments)
            {
                if (argument.Property == property)
                {
                    return argument.Location;
                }
            }
        }

        return Location;
    }
}

/// <summary>
/// Everything the generator read from one model class. <see cref="IsComplete"/> is false while
/// a layer attribute does not bind (half-typed code): the compiler reports that, and the
/// layers are not shape-checked until it is fixed. <see cref="MemberNames"/> are the names the user's
/// own parts declare, which layer names must not take; <see cref="HasOwnSummary"/>, whether they carry a
/// <c>///</c> summary, which the generated documentation then leaves to them; <see cref="IsExtendable"/>, whether a
/// generated part can extend the class (it is a partial class the generated code can name, deriving from nothing
/// else), which a stand-in for a declaration with errors needs.
/// </summary>
internal sealed record ModelDeclaration(
    string? Namespace,
    string ClassName,
    EquatableArray<ContainingType> ContainingTypes,
    InputSpec Input,
    LocationInfo InputLocation,
    EquatableArray<LayerDeclaration> Layers,
    bool IsComplete,
    EquatableArray<DiagnosticInfo> Diagnostics,
    InitSpec? Init,
    EquatableArray<string> MemberNames,
    bool HasOwnSummary,
    bool IsExtendable)
{
    /// <summary>The class's fully qualified name, <c>global::App.SimpleCnn</c>, by which backbones are found.</summary>
    public string MetadataName { get; init; } = string.Empty;

    /// <summary>The network whose layers this one starts with (<c>[Backbone]</c>), or null.</summary>
    public BackboneReference? Backbone { get; init; }
}

/// <summary>
/// A reusable block read from a class marked <c>[Block]</c>: its layers are templates whose
/// <see cref="LayerDeclaration.Symbolic"/> arguments are filled in at each use.
/// </summary>
internal sealed record BlockDeclaration(
    string MetadataName,
    string? Namespace,
    string ClassName,
    EquatableArray<ContainingType> ContainingTypes,
    LocationInfo Location,
    EquatableArray<LayerDeclaration> Layers,
    bool IsComplete,
    EquatableArray<DiagnosticInfo> Diagnostics,
    InitSpec? Init,
    EquatableArray<string> MemberNames,
    bool HasOwnSummary,
    bool IsExtendable);
