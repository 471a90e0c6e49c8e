using System.Collections.Generic;
using System.Linq;
using DeclCnn.Generators.Model;
using static DeclCnn.Generators.Diagnostics.DiagnosticDescriptors;

namespace DeclCnn.Generators.Analysis;

/// <summary>
/// A model or block that cannot become a module yet (its declaration has errors, or it uses a block that has):
/// its class and why, for a stand-in with the public surface the module would have, whose members throw. Code
/// that uses the class still compiles, so the error list shows the declaration's own errors and not their echo
/// at every use. <see cref="OwnMembers"/>: the generated members the user's class already declares (reported
/// as DCNN0034), which the stand-in leaves to them. <see cref="IsTransfer"/>: a network declared with
/// <c>[Backbone]</c>, whose stand-in also has the transfer members. No source locations, so edits elsewhere do not re-emit it.
/// </summary>
internal sealed record UnusableDeclaration(
    string? Namespace,
    string ClassName,
    EquatableArray<ContainingType> ContainingTypes,
    bool IsBlock,
    string Reason,
    EquatableArray<string> OwnMembers,
    bool HasOwnSummary,
    bool IsTransfer = false)
{
    public string HintName => HintNames.Of(Namespace, ContainingTypes, ClassName);

    /// <summary>The stand-in for a model, or null where no generated part can extend the class (the class's own errors, DCNN0001 and DCNN0002, say why).</summary>
    public static UnusableDeclaration? For(ModelDeclaration declaration, string reason, IEnumerable<DiagnosticInfo> diagnostics) =>
        declaration.IsExtendable
            ? new(declaration.Namespace, declaration.ClassName, declaration.ContainingTypes, IsBlock: false, reason, Clashes(diagnostics), declaration.HasOwnSummary, declaration.Backbone is not null)
            : null;

    /// <summary>The stand-in for a model that checked out but could not be written (a generator bug).</summary>
    public static UnusableDeclaration For(AnalyzedModel model, string reason) =>
        new(model.Namespace, model.ClassName, model.ContainingTypes, IsBlock: false, reason, EquatableArray<string>.Empty, model.HasOwnSummary, model.Backbone is not null);

    /// <summary>The stand-in for a block, or null where no generated part can extend the class.</summary>
    public static UnusableDeclaration? For(BlockDeclaration declaration, string reason, IEnumerable<DiagnosticInfo> diagnostics) =>
        declaration.IsExtendable
            ? new(declaration.Namespace, declaration.ClassName, declaration.ContainingTypes, IsBlock: true, reason, Clashes(diagnostics), declaration.HasOwnSummary)
            : null;

    /// <summary>The reason for a declaration with errors, by id and title: "its declaration has the error DCNN0019 (Dense layer on a feature map)".</summary>
    public static string HasErrors(IEnumerable<DiagnosticInfo> diagnostics)
    {
        var errors = diagnostics.Select(static d => $"{d.Descriptor.Id} ({d.Descriptor.Title})").Distinct().ToList();
        return errors.Count == 1
            ? $"its declaration has the error {errors[0]}"
            : $"its declaration has the errors {string.Join(", ", errors)}";
    }

    /// <summary>The reason for a declaration that uses blocks with errors, by name.</summary>
    public static string UsesUnusableBlocks(IEnumerable<string> blocks) =>
        $"it uses {string.Join(", ", blocks.Distinct().Select(static b => $"the block '{b}'"))}, which cannot be used yet";

    /// <summary>The reason for a declaration with a layer attribute the compiler does not accept yet.</summary>
    public const string HalfTyped = "a layer attribute of its declaration does not compile yet";

    private static EquatableArray<string> Clashes(IEnumerable<DiagnosticInfo> diagnostics) =>
        diagnostics.Where(static d => d.Descriptor == GeneratedMemberClash).Select(static d => d.MessageArgs[1]).Distinct().ToEquatableArray();
}
