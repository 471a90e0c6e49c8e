using System.Collections.Generic;
using System.Linq;
using System.Threading;
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

    private LayerDeclarationBuilder(AttributeData attribute, AttributeSyntax syntax, List<DiagnosticInfo> diagnostics)
    {
        this.attribute = attribute;
        this.syntax = syntax;
        this.diagnostics = diagnostics;
    }

    /// <summary>Integer properties a block parameter may set: the sizes the block's constructor can compute.</summary>
    private static readonly HashSet<string> SymbolicProperties = new()
    {
        "OutChannels", "KernelHeight", "KernelWidth", "Stride", "Padding", "Dilation", "Groups", "Size", "OutputHeight", "OutputWidth", "Channels",
    };

    private string Display => syntax.ToString();

    /// <summary>
    /// Reads a well-formed layer attribute; returns null when it does not bind (the compiler reports
    /// that). Arguments written with block parameters become <see cref="SymbolicArgument"/>s, which
    /// only a block (<paramref name="inBlock"/>) may have.
    /// </summary>
    public static LayerDeclaration? Build(AttributeData attribute, Compilation compilation, bool inBlock, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        if (attribute.AttributeConstructor is null || attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
        {
            return null;
        }

        var builder = new LayerDeclarationBuilder(attribute, syntax, diagnostics);
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

                foreach (var name in ArgumentNames.PropertiesOf(parameter))
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

            var expression = BlockExpressionReader.Read(argument.Expression, model);
            var unsupported = properties.FirstOrDefault(static p => !SymbolicProperties.Contains(p));
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
        var args = new AttributeArguments(attribute, this);
        LayerSpec? spec = attribute.AttributeClass!.Name switch
        {
            "ConvAttribute" => new ConvSpec(
                args.Int("OutChannels", 0),
                new Pair(args.Int("KernelHeight", 0), args.Int("KernelWidth", 0)),
                args.Pair("Stride", Pair.Square(1)),
                args.Padding(),
                args.Pair("Dilation", Pair.Square(1)),
                args.Int("Groups", 1),
                args.Bool("Bias", true)),
            "MaxPoolAttribute" => Pool(args, PoolKind.Max),
            "AvgPoolAttribute" => Pool(args, PoolKind.Avg),
            "AdaptiveAvgPoolAttribute" => new AdaptiveAvgPoolSpec(new Pair(args.Int("OutputHeight", 0), args.Int("OutputWidth", 0)), IsGlobal: false),
            "GlobalAvgPoolAttribute" => new AdaptiveAvgPoolSpec(Pair.Square(1), IsGlobal: true),
            "FlattenAttribute" => new FlattenSpec(),
            "DenseAttribute" => new DenseSpec(args.Int("OutFeatures", 0), args.Int("InFeatures", 0), args.Bool("Bias", true)),
            "BatchNormAttribute" => new BatchNormSpec(args.Double("Eps", 1e-5), args.Double("Momentum", 0.1)),
            "DropoutAttribute" => new DropoutSpec(args.Double("P", 0.5)),
            "UpsampleAttribute" => new UpsampleSpec(args.Double("ScaleFactor", 0), args.String("Mode") ?? "nearest"),
            "LocalResponseNormAttribute" => new LocalResponseNormSpec(args.Int("Size", 0), args.Double("Alpha", 1e-4), args.Double("Beta", 0.75), args.Double("K", 1.0)),
            "ReLUAttribute" => new ActivationSpec(ActivationKind.ReLU),
            "LeakyReLUAttribute" => new ActivationSpec(ActivationKind.LeakyReLU, NegativeSlope: args.Double("NegativeSlope", 0.01)),
            "SigmoidAttribute" => new ActivationSpec(ActivationKind.Sigmoid),
            "TanhAttribute" => new ActivationSpec(ActivationKind.Tanh),
            "SiLUAttribute" => new ActivationSpec(ActivationKind.SiLU),
            "GELUAttribute" => new ActivationSpec(ActivationKind.GELU),
            "SoftmaxAttribute" => new ActivationSpec(ActivationKind.Softmax, Dim: args.Int("Dim", 1)),
            "LogSoftmaxAttribute" => new ActivationSpec(ActivationKind.LogSoftmax, Dim: args.Int("Dim", 1)),
            "StageAttribute" when attribute.AttributeClass is { TypeArguments: [INamedTypeSymbol block] } => new StageSpec(
                block.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                block.Name,
                args.Int("Channels", 0),
                args.Int("Blocks", 1),
                args.Int("Stride", 1)),
            "AddAttribute" => new JoinSpec(JoinKind.Add, (ShortcutMode)args.Int("Shortcut", 0), args.TypeName("Projection")),
            "ConcatAttribute" => new JoinSpec(JoinKind.Concat, ShortcutMode.Auto),
            _ => null,
        };
        return spec is null ? null : spec with { Name = args.Name, Init = (WeightInit)args.Int("Init", 0) };
    }

    private static PoolSpec Pool(AttributeArguments args, PoolKind kind)
    {
        var kernel = new Pair(args.Int("KernelHeight", 0), args.Int("KernelWidth", 0));
        var strideIsDefault = !args.Has("Stride");
        return new PoolSpec(
            kind,
            kernel,
            args.Pair("Stride", kernel),
            strideIsDefault,
            args.Pair("Padding", Pair.Square(0)),
            kind == PoolKind.Max ? args.Pair("Dilation", Pair.Square(1)) : Pair.Square(1),
            args.Bool("CeilMode", false),
            args.Bool("CountIncludePad", true));
    }
}
