using System;
using System.Collections.Generic;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;
using static DeclCnn.Generators.Shapes.LayerDescriber;
using Attr = DeclCnn.AddAttribute;

namespace DeclCnn.Generators.Kinds;

/// <summary>
/// <c>[Add]</c> or <c>[Concat]</c> in a block; <see cref="ProjectionBlock"/> is the fully qualified
/// name of a block that replaces the 1x1 projection of an <c>[Add]</c>.
/// </summary>
internal sealed record JoinSpec(JoinKind Join, Shortcut Shortcut, string? ProjectionBlock = null) : LayerSpec
{
    public override LayerKind Kind => Join;

    /// <summary>Whether this is the residual addition (else the channel concatenation).</summary>
    public bool IsAdd => Join == JoinKind.Add;
}

/// <summary>
/// <c>[Add]</c> and <c>[Concat]</c>: where a block joins its body with its input. Not a submodule: the
/// block's shape rule (<see cref="BlockTracer"/>) checks both branches, and the block emitter writes the
/// join into <c>forward</c>.
/// </summary>
internal sealed class JoinKind : LayerKind
{
    public static readonly JoinKind Add = new("Add");
    public static readonly JoinKind Concat = new("Concat");

    /// <summary>Why a join in a model is misplaced.</summary>
    public const string OutsideBlock = "[Add] and [Concat] join a block's body with its input; declare them in a [Block] and use the block in a [Stage]";

    private static readonly Attr Defaults = new();

    private readonly string name;

    private JoinKind(string name) => this.name = name;

    public override IReadOnlyCollection<string> BindableProperties => Array.Empty<string>();

    public override LayerSpec Read(AttributeArguments arguments) => this == Add
        ? new JoinSpec(this, arguments.Enum(nameof(Attr.Shortcut), Defaults.Shortcut), arguments.TypeName(nameof(Attr.Projection)))
        : new JoinSpec(this, Defaults.Shortcut);

    public override LayerSpec Bind(LayerSpec spec, string property, int value) => spec;

    public override string Describe(LayerSpec spec, WrittenArguments written)
    {
        var join = (JoinSpec)spec;
        return Call(name, Named(
            (nameof(Attr.Shortcut), join.Shortcut == Defaults.Shortcut ? null : $"{nameof(Shortcut)}.{join.Shortcut}"),
            (nameof(Attr.Projection), join.ProjectionBlock is { } projection ? $"typeof({BlockScope.SimpleName(projection)})" : null)));
    }

    /// <summary>A join outside a block's body and tail: models declare none (the analysis reports where one is).</summary>
    public override Result<LayerTrace> Trace(LayerSpec spec, LayerStep step) =>
        ShapeFault.Of(JoinMisplaced, null, step.Reference, OutsideBlock);
}
