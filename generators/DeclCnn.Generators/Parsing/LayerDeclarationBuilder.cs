using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DeclCnn.Generators.Kinds;
using DeclCnn.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DeclCnn.Generators.Parsing;

/// <summary>Turns one layer attribute into a <see cref="LayerDeclaration"/>, collecting argument diagnostics.</summary>
internal sealed class LayerDeclarationBuilder
{
    private readonly AttributeData attribute;
    private readonly AttributeSyntax syntax;
    private readonly List<ArgumentLocation> argumentLocations = new();
    private readonly List<SymbolicArgument> symbolic = new();
    private readonly List<DiagnosticInfo> diagnostics;

    private readonly LayerKind kind;

    private LayerDeclarationBuilder(AttributeData attribute, LayerKind kind, AttributeSyntax syntax, List<DiagnosticInfo> diagnostics)
    {
        this.attribute = attribute;
        this.kind = kind;
        this.syntax = syntax;
        this.diagnostics = diagnostics;
    }

    private string Display => syntax.ToString();

    /// <summary>
    /// Reads a well-formed layer attribute; returns null when it does not bind (the compiler reports
    /// that). Arguments written with block parameters become <see cref="SymbolicArgument"/>s, which
    /// only a block (<paramref name="inBlock"/>) may have.
    /// </summary>
    public static LayerDeclaration? Build(AttributeData attribute, Compilation compilation, bool inBlock, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        if (attribute.AttributeConstructor is null || attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax
            || LayerKinds.Find(attribute.AttributeClass!.MetadataName) is not { } kind)
        {
            return null;
        }

        var builder = new LayerDeclarationBuilder(attribute, kind, syntax, diagnostics);
        builder.ReadArgumentLocations();
        builder.ReadSymbolicArguments(compilation, inBlock);
        var spec = builder.ReadSpec();
        return spec is null
            ? null
            : new LayerDeclaration(spec, attribute.AttributeClass!.Name, LocationInfo.From(syntax), builder.argumentLocations.ToEquatableArray(), builder.symbolic.ToEquatableArray());
    }

    /// <summary>Records a diagnostic on the argument that sets <paramref name="property"/>.</summary>
    public void Report(DiagnosticDescriptor descriptor, string property, params string[] args)
    {
        var location = LocationInfo.From(syntax);
        foreach (var argument in argumentLocations)
        {
            if (argument.Property == property)
            {
                location = argument.Location;
            }
        }

        var messageArgs = new string[args.Length + 1];
        messageArgs[0] = Display;
        args.CopyTo(messageArgs, 1);
        diagnostics.Add(DiagnosticInfo.Create(descriptor, location, messageArgs));
    }

    private void ReadArgumentLocations()
    {
        if (syntax.ArgumentList is null)
        {
            return;
        }

        var parameters = attribute.AttributeConstructor!.Parameters;
        for (var i = 0; i < syntax.ArgumentList.Arguments.Count; i++)
        {
            var argument = syntax.ArgumentList.Arguments[i];
            var location = LocationInfo.From(argument);
            if (argument.NameEquals is { } property)
            {
                argumentLocations.Add(new ArgumentLocation(property.Name.Identifier.ValueText, location));
            }
            else
            {
                var parameter = argument.NameColon?.Name.Identifier.ValueText ?? (i < parameters.Length ? parameters[i].Name : null);
                if (parameter is null)
                {
                    continue;
                }

                foreach (var name in kind.PropertiesOf(parameter))
                {
                    argumentLocations.Add(new ArgumentLocation(name, location));
                }
            }
        }
    }

    private void ReadSymbolicArguments(Compilation compilation, bool inBlock)
    {
        if (syntax.ArgumentList is not { } arguments || !arguments.Arguments.Any(static a => BlockExpressionReader.MayMentionBlockParameter(a.Expression)))
        {
            return;
        }

        var model = compilation.GetSemanticModel(syntax.SyntaxTree);
        foreach (var argument in arguments.Arguments)
        {
            if (!BlockExpressionReader.MentionsBlockParameter(argument.Expression, model))
            {
                continue;
            }

            var location = LocationInfo.From(argument);
            var properties = argumentLocations.Where(a => a.Location == location).Select(static a => a.Property).ToList();
            var written = argument.Expression.ToString();
            if (!inBlock)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.DiagnosticDescriptors.BlockParameterOutsideBlock, location, Display, written));
                continue;
            }

            // Reading, evaluating and emitting an expression recurse on its depth: a very long one would
            // overflow the stack, here or in the compiler that builds the generated constructor.
            var operators = argument.Expression.DescendantNodesAndSelf().Count(static n => n is BinaryExpressionSyntax or PrefixUnaryExpressionSyntax);
            if (operators > BlockExpressionReader.MaxOperators)
            {
                var shown = written.Length > 60 ? written.Substring(0, 57) + "..." : written;
                diagnostics.Add(DiagnosticInfo.Create(
                    Diagnostics.DiagnosticDescriptors.UnsupportedBlockExpression, location, Display, properties.FirstOrDefault() ?? "argument", shown,
                    $"it has {operators} operators, and at most {BlockExpressionReader.MaxOperators} are supported"));
                continue;
            }

            var expression = BlockExpressionReader.Read(argument.Expression, model);
            var unsupported = properties.FirstOrDefault(p => !kind.BindableProperties.Contains(p));
            if (expression is null || unsupported is not null || properties.Count == 0)
            {
                var reason = unsupported is not null || properties.Count == 0
                    ? $"{unsupported ?? "this argument"} must be a constant"
                    : "build it from Block.Channels, Block.Stride, integer constants, + - * / and parentheses";
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.DiagnosticDescriptors.UnsupportedBlockExpression, location, Display, unsupported ?? properties.FirstOrDefault() ?? "argument", written, reason));
                continue;
            }

            symbolic.AddRange(properties.Select(property => new SymbolicArgument(property, expression)));
        }
    }

    private LayerSpec? ReadSpec()
    {
        var args = new AttributeArguments(attribute, kind, this);
        return kind.Read(args) is { } spec
            ? spec with { Name = args.Name, Init = args.Enum(nameof(ConvAttribute.Init), Init.Default), Written = WrittenConstants(args) }
            : null;
    }

    /// <summary>The int arguments written as arithmetic (<c>64 * 7 * 7</c>), with their values, for messages.</summary>
    private EquatableArray<WrittenConstant> WrittenConstants(AttributeArguments args)
    {
        if (syntax.ArgumentList is null)
        {
            return EquatableArray<WrittenConstant>.Empty;
        }

        var written = new List<WrittenConstant>();
        foreach (var argument in syntax.ArgumentList.Arguments)
        {
            // Arithmetic only: a literal or a named constant (int.MaxValue) reads well as it is.
            if (!argument.Expression.DescendantNodesAndSelf().Any(static n => n is BinaryExpressionSyntax))
            {
                continue;
            }

            var location = LocationInfo.From(argument);
            foreach (var property in argumentLocations.Where(a => a.Location == location).Select(static a => a.Property))
            {
                if (!symbolic.Any(s => s.Property == property) && args.IntConstant(property) is { } value)
                {
                    written.Add(new WrittenConstant(property, $"{argument.Expression} ({value.ToString(System.Globalization.CultureInfo.InvariantCulture)})"));
                }
            }
        }

        return written.ToEquatableArray();
    }
}
