using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeclCnn.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;

namespace DeclCnn.Generators.Parsing;

/// <summary>
/// Reads a class marked <c>[Input]</c> into a <see cref="ModelDeclaration"/>: the class's shape
/// (namespace, nesting, partial), the input, and the layer attributes in source order.
/// Nothing symbol- or syntax-shaped survives this step, so later steps cache.
/// </summary>
internal static class ModelParser
{
    private const string ModuleBaseType = "TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>";

    public static ModelDeclaration? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        // On a struct or record struct the attributes are not valid (CS0592): the compiler's error is enough.
        if (context.TargetSymbol is not INamedTypeSymbol { TypeKind: TypeKind.Class } symbol || context.TargetNode is not TypeDeclarationSyntax syntax
            || IsHalfTyped(context.Attributes[0], cancellationToken) || ReadInput(context.Attributes[0]) is not { } input
            || !CarriesFirst(syntax, symbol, MetadataNames.InputAttribute))
        {
            return null;
        }

        var diagnostics = new List<DiagnosticInfo>();
        var classLocation = LocationInfo.From(syntax.Identifier.GetLocation())!;
        var extendable = CheckClass(symbol, syntax, context.SemanticModel.Compilation, classLocation, diagnostics);
        CheckGeneratedMembers(symbol, diagnostics, "forward", "Summary", "PyTorchSource");

        var inputLocation = LocationInfo.From(context.Attributes[0].ApplicationSyntaxReference!.GetSyntax(cancellationToken));
        if (input.Channels <= 0 || input.Height <= 0 || input.Width <= 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(InputMalformed, inputLocation, $"{input.Channels}x{input.Height}x{input.Width}"));
        }

        if (context.SemanticModel.Compilation.GetTypeByMetadataName(MetadataNames.TorchSharpTorch) is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(TorchSharpNotReferenced, classLocation, symbol.Name));
            extendable = false;
        }

        var layers = ReadLayers(symbol, context.SemanticModel.Compilation, inBlock: false, classLocation, diagnostics, cancellationToken, out var complete);
        var backbone = BackboneReader.Read(symbol, diagnostics, cancellationToken, ref complete);
        if (backbone is not null)
        {
            CheckGeneratedMembers(symbol, diagnostics, BackboneReader.GeneratedMembers);
        }

        var init = ReadInit(symbol, diagnostics);
        return new ModelDeclaration(
            symbol.ContainingNamespace.IsGlobalNamespace ? null : symbol.ContainingNamespace.ToDisplayString(),
            symbol.Name,
            ContainingTypes(symbol),
            input,
            inputLocation,
            layers,
            complete,
            diagnostics.ToEquatableArray(),
            init,
            symbol.MemberNames.ToEquatableArray(),
            HasOwnSummary(symbol),
            extendable)
{
            MetadataName = symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            Backbone = backbone,
        };
    }

    /// <summary>Reads a class marked <c>[Block]</c>: like a model, without an input, and with layers that may use block parameters.</summary>
    public static BlockDeclaration? ParseBlock(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol { TypeKind: TypeKind.Class } symbol || context.TargetNode is not TypeDeclarationSyntax syntax
            || IsHalfTyped(context.Attributes[0], cancellationToken) || !CarriesFirst(syntax, symbol, MetadataNames.BlockAttribute))
        {
            return null;
        }

        var diagnostics = new List<DiagnosticInfo>();
        var classLocation = LocationInfo.From(syntax.Identifier.GetLocation())!;
        var extendable = CheckClass(symbol, syntax, context.SemanticModel.Compilation, classLocation, diagnostics);
        CheckGeneratedMembers(symbol, diagnostics, "forward", "PyTorchClass");
        if (symbol.GetAttributes().Any(static a => MetadataNames.Is(a.AttributeClass, MetadataNames.InputAttribute)))
        {
            // The model's generated part extends the class.
            diagnostics.Add(DiagnosticInfo.Create(UnsupportedModelClass, classLocation, symbol.Name, "is marked both [Input] (a model) and [Block]"));
            extendable = false;
        }

        if (context.SemanticModel.Compilation.GetTypeByMetadataName(MetadataNames.TorchSharpTorch) is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(TorchSharpNotReferenced, classLocation, symbol.Name));
            extendable = false;
        }

        var layers = ReadLayers(symbol, context.SemanticModel.Compilation, inBlock: true, classLocation, diagnostics, cancellationToken, out var complete);
        var init = ReadInit(symbol, diagnostics);
        return new BlockDeclaration(
            symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            symbol.ContainingNamespace.IsGlobalNamespace ? null : symbol.ContainingNamespace.ToDisplayString(),
            symbol.Name,
            ContainingTypes(symbol),
            classLocation,
            layers,
            complete,
            diagnostics.ToEquatableArray(),
            init,
            symbol.MemberNames.ToEquatableArray(),
            HasOwnSummary(symbol),
            extendable);
    }

    /// <summary>
    /// The model declaration for a class the generator failed to read: only its name, with <paramref name="failure"/>.
    /// No stand-in extends it, as whether one could is unknown.
    /// </summary>
    public static ModelDeclaration Failed(GeneratorAttributeSyntaxContext context, DiagnosticInfo failure)
    {
        var symbol = (INamedTypeSymbol)context.TargetSymbol;
        return new ModelDeclaration(
            symbol.ContainingNamespace.IsGlobalNamespace ? null : symbol.ContainingNamespace.ToDisplayString(),
            symbol.Name,
            ContainingTypes(symbol),
            default,
            failure.Location!,
            EquatableArray<LayerDeclaration>.Empty,
            IsComplete: false,
            new[] { failure }.ToEquatableArray(),
            Init: null,
            EquatableArray<string>.Empty,
            HasOwnSummary: false,
            IsExtendable: false);
    }

    /// <summary>The block declaration for a class the generator failed to read, as <see cref="Failed"/>.</summary>
    public static BlockDeclaration FailedBlock(GeneratorAttributeSyntaxContext context, DiagnosticInfo failure)
    {
        var symbol = (INamedTypeSymbol)context.TargetSymbol;
        return new BlockDeclaration(
            symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            symbol.ContainingNamespace.IsGlobalNamespace ? null : symbol.ContainingNamespace.ToDisplayString(),
            symbol.Name,
            ContainingTypes(symbol),
            failure.Location!,
            EquatableArray<LayerDeclaration>.Empty,
            IsComplete: false,
            new[] { failure }.ToEquatableArray(),
            Init: null,
            EquatableArray<string>.Empty,
            HasOwnSummary: false,
            IsExtendable: false);
    }

    /// <summary>Where a failure to read the class is reported: its name in the declaration carrying the attribute.</summary>
    public static LocationInfo ClassLocation(GeneratorAttributeSyntaxContext context) =>
        LocationInfo.From(((TypeDeclarationSyntax)context.TargetNode).Identifier.GetLocation())!;

    /// <summary>Whether a part of the class carries a <c>///</c> (or <c>/** */</c>) summary written by the user.</summary>
    private static bool HasOwnSummary(INamedTypeSymbol symbol) =>
        symbol.DeclaringSyntaxReferences.Any(static r => r.GetSyntax().GetLeadingTrivia().Any(static t =>
            t.ToFullString().TrimStart() is var text
            && (text.StartsWith("///", System.StringComparison.Ordinal) || text.StartsWith("/**", System.StringComparison.Ordinal))
            && text.Contains("<summary")));

    /// <summary>
    /// Whether <paramref name="part"/> carries the class's first attribute named <paramref name="metadataName"/>.
    /// On several parts of a partial class it is the compiler's CS0579; the class is read once, for the first.
    /// </summary>
    private static bool CarriesFirst(TypeDeclarationSyntax part, INamedTypeSymbol symbol, string metadataName) =>
        symbol.GetAttributes().FirstOrDefault(a => MetadataNames.Is(a.AttributeClass, metadataName))?.ApplicationSyntaxReference is { } first
        && first.SyntaxTree == part.SyntaxTree && part.Span.Contains(first.Span);

    /// <summary>Reports the user's members that have the name of a member the generated module declares.</summary>
    private static void CheckGeneratedMembers(INamedTypeSymbol symbol, List<DiagnosticInfo> diagnostics, params string[] generated)
    {
        foreach (var name in generated)
        {
            foreach (var member in symbol.GetMembers(name))
            {
                // A method overloads the generated forward(Tensor) unless its parameters are the same.
                var overload = member is IMethodSymbol method && name == "forward"
                    && !(method.Parameters is [{ Type: var type }] && type.ToDisplayString() == "TorchSharp.torch.Tensor");
                if (!overload && !member.IsImplicitlyDeclared && member.Locations.FirstOrDefault(static l => l.IsInSource) is { } location)
                {
                    diagnostics.Add(DiagnosticInfo.Create(GeneratedMemberClash, LocationInfo.From(location), symbol.Name, name));
                }
            }
        }
    }

    /// <summary>
    /// Whether an attribute is still being typed: it does not bind, or its attribute list has syntax
    /// errors (<c>[Con(</c>, <c>[Conv(32, ]</c>, <c>Padding = "sa</c>, a missing <c>]</c>). The compiler reports these.
    /// </summary>
    internal static bool IsHalfTyped(AttributeData attribute, CancellationToken cancellationToken) =>
        attribute.AttributeClass is null or { TypeKind: TypeKind.Error }
        || attribute.AttributeConstructor is null
        || attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).Parent is { ContainsDiagnostics: true };

    /// <summary>The class's <c>[WeightInit]</c>, if any.</summary>
    private static InitSpec? ReadInit(INamedTypeSymbol symbol, List<DiagnosticInfo> diagnostics)
    {
        var attribute = symbol.GetAttributes().FirstOrDefault(static a => MetadataNames.Is(a.AttributeClass, MetadataNames.WeightInitAttribute));
        if (attribute is not { ConstructorArguments: [{ Value: int convolutions }] })
        {
            return null;
        }

        T Named<T>(string name, T defaultValue) =>
            attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value is T value ? value : defaultValue;

        // Enum values arrive as their underlying int.
        TEnum NamedEnum<TEnum>(string name, TEnum defaultValue)
            where TEnum : struct, System.Enum =>
            attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value is int number ? (TEnum)System.Enum.ToObject(typeof(TEnum), number) : defaultValue;

        // NaN and infinities: no initializer takes them, and C# has no literal for them.
        double Finite(string name, double defaultValue)
        {
            var value = Named(name, defaultValue);
            if (!double.IsNaN(value) && !double.IsInfinity(value))
            {
                return value;
            }

            var syntax = (AttributeSyntax)attribute.ApplicationSyntaxReference!.GetSyntax();
            var argument = syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);
            var location = argument is null ? LocationInfo.From(syntax) : LocationInfo.From(argument);
            diagnostics.Add(DiagnosticInfo.Create(ArgumentOutOfRange, location, "[WeightInit]", name, "a finite number", Shapes.LayerDescriber.Number(value)));
            return defaultValue;
        }

        var defaults = new WeightInitAttribute(Init.Default);
        return new InitSpec(
            (Init)convolutions,
            NamedEnum(nameof(defaults.Dense), defaults.Dense),
            NamedEnum(nameof(defaults.Mode), defaults.Mode),
            Finite(nameof(defaults.Std), defaults.Std),
            Finite(nameof(defaults.Value), defaults.Value),
            Named(nameof(defaults.ZeroInitLastBatchNorm), defaults.ZeroInitLastBatchNorm));
    }

    private static InputSpec? ReadInput(AttributeData input) =>
        input.ConstructorArguments is [{ Value: int channels }, { Value: int height }, { Value: int width }]
            ? new InputSpec(channels, height, width)
            : null;

    /// <summary>
    /// Reports what keeps a generated part from extending the class (DCNN0001, DCNN0002); returns whether one can,
    /// which is what a stand-in for a declaration with other errors needs.
    /// </summary>
    private static bool CheckClass(INamedTypeSymbol symbol, TypeDeclarationSyntax syntax, Compilation compilation, LocationInfo location, List<DiagnosticInfo> diagnostics)
    {
        var before = diagnostics.Count;
        void Unsupported(string reason) => diagnostics.Add(DiagnosticInfo.Create(UnsupportedModelClass, location, symbol.Name, reason));

        if (syntax is not ClassDeclarationSyntax)
        {
            Unsupported("is a record");
        }
        else if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(ModelClassNotPartial, location, symbol.Name));
        }

        // Arity, not IsGenericType: the latter is also true inside a generic containing type, reported below.
        if (symbol.Arity > 0)
        {
            Unsupported("is generic");
        }

        if (symbol.IsStatic)
        {
            Unsupported("is static");
        }
        else if (symbol.IsAbstract)
        {
            Unsupported("is abstract, so the generated module could never be created");
        }

        // The generated part is in another file, where a file-local class cannot be named.
        if (symbol.IsFileLocal)
        {
            Unsupported("is file-local (declared 'file'), so the generated part in its own file cannot extend it");
        }

        // A base type that does not resolve yet is the compiler's error, not ours.
        if (symbol.BaseType is { SpecialType: not SpecialType.System_Object, TypeKind: not TypeKind.Error } baseType
            && baseType.ToDisplayString() != ModuleBaseType)
        {
            Unsupported($"derives from '{baseType.ToDisplayString()}', but the generated module derives from TorchSharp's Module<Tensor, Tensor>");
        }
        else if (symbol.BaseType is { SpecialType: SpecialType.System_Object } && DeclaresObjectBase(symbol, compilation))
        {
            Unsupported("declares the base class 'object', but the generated module derives from TorchSharp's Module<Tensor, Tensor>");
        }

        for (var outer = symbol.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (outer.IsGenericType)
            {
                Unsupported($"is nested in the generic type '{outer.Name}'");
            }
            else if (!IsPartial(outer))
            {
                Unsupported($"is nested in '{outer.Name}', which is not partial");
            }
        }

        return diagnostics.Count == before;
    }

    /// <summary>Whether a part of the class writes <c>: object</c> (or <c>System.Object</c>), which would contradict the generated base (CS0263).</summary>
    private static bool DeclaresObjectBase(INamedTypeSymbol symbol, Compilation compilation) =>
        symbol.DeclaringSyntaxReferences
            .Select(static r => r.GetSyntax())
            .OfType<TypeDeclarationSyntax>()
            .Any(declaration => declaration.BaseList?.Types.FirstOrDefault()?.Type is { } first
                && compilation.GetSemanticModel(declaration.SyntaxTree).GetTypeInfo(first).Type is { SpecialType: SpecialType.System_Object });

    private static bool IsPartial(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences.All(static r => r.GetSyntax() is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));

    private static EquatableArray<ContainingType> ContainingTypes(INamedTypeSymbol symbol)
    {
        var types = new List<ContainingType>();
        for (var outer = symbol.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            var keyword = (outer.IsRecord, outer.TypeKind) switch
            {
                (true, TypeKind.Struct) => "record struct",
                (true, _) => "record",
                (false, TypeKind.Struct) => "struct",
                (false, TypeKind.Interface) => "interface",
                _ => "class",
            };
            types.Insert(0, new ContainingType(keyword, outer.Name));
        }

        return types.ToEquatableArray();
    }

    private static EquatableArray<LayerDeclaration> ReadLayers(
        INamedTypeSymbol symbol, Compilation compilation, bool inBlock, LocationInfo classLocation, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken, out bool complete)
    {
        // An attribute that is still being typed may be a layer: shapes are checked once it is complete.
        var all = symbol.GetAttributes();
        complete = !all.Any(a => IsHalfTyped(a, cancellationToken));
        var attributes = all
            .Where(static a => IsLayerAttribute(a.AttributeClass) && a.ApplicationSyntaxReference is not null)
            .ToList();

        // Source order is only defined within one declaration of the partial class.
        var declarations = attributes
            .Select(a => a.ApplicationSyntaxReference!.GetSyntax(cancellationToken).Parent?.Parent)
            .Distinct()
            .Count();
        if (declarations > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(LayersOnSeveralDeclarations, classLocation, symbol.Name));
            complete = false;
            return EquatableArray<LayerDeclaration>.Empty;
        }

        var layers = new List<LayerDeclaration>();
        foreach (var attribute in attributes.OrderBy(static a => a.ApplicationSyntaxReference!.Span.Start))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!IsHalfTyped(attribute, cancellationToken) && LayerDeclarationBuilder.Build(attribute, compilation, inBlock, diagnostics, cancellationToken) is { } layer)
            {
                layers.Add(layer);
            }
            else
            {
                // Half-typed attribute: the compiler reports it; no argument or shape check on a partial list.
                complete = false;
            }
        }

        return layers.ToEquatableArray();
    }

    /// <summary>Whether <paramref name="type"/> is a DSL layer attribute: one that derives from DeclCnn's <c>LayerAttribute</c>.</summary>
    internal static bool IsLayerAttribute(INamedTypeSymbol? type)
    {
        for (var current = type?.BaseType; current is not null; current = current.BaseType)
        {
            if (MetadataNames.Is(current, MetadataNames.LayerAttribute))
            {
                return true;
            }
        }

        return false;
    }
}
