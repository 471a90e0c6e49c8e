using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeclCnn.Generators.Analysis;
using DeclCnn.Generators.Diagnostics;
using DeclCnn.Generators.Emit;
using DeclCnn.Generators.Kinds;
using DeclCnn.Generators.Model;
using DeclCnn.Generators.Parsing;
using DeclCnn.Generators.Shapes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DeclCnn.Generators;

/// <summary>
/// Turns classes declared with <c>[Input]</c> and layer attributes into TorchSharp modules,
/// checking every tensor shape at compile time.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DeclCnnGenerator : IIncrementalGenerator
{
    private readonly Action<GeneratorStep, string>? probe;

    public DeclCnnGenerator()
        : this(probe: null)
    {
    }

    /// <summary>
    /// For tests: <paramref name="probe"/> runs before each guarded step of each declaration (with the class's name)
    /// and may throw, standing for a generator bug there.
    /// </summary>
    internal DeclCnnGenerator(Action<GeneratorStep, string>? probe) => this.probe = probe;

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Each declaration's steps are guarded: a generator bug met on one becomes its DCNN0035, and the others
        // are generated as usual (an exception leaving the generator would drop them all).
        var probe = this.probe;

        // 1. Parse: each class marked [Input] becomes a value-equatable declaration.
        var declarations = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                MetadataNames.InputAttribute,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                (syntax, cancellationToken) => Guard(
                    probe, GeneratorStep.Read, () => (syntax.TargetSymbol.ToDisplayString(), ModelParser.ClassLocation(syntax)),
                    () => ModelParser.Parse(syntax, cancellationToken),
                    failure => ModelParser.Failed(syntax, failure)))
            .Where(static declaration => declaration is not null)
            .Select(static (declaration, _) => declaration!)
            .WithTrackingName(TrackingNames.Declarations);

        // 1b. Blocks: classes marked [Block], parsed like models; checked on their own, and the
        //     analyses collected into one library for the models whose stages use them.
        var blockDeclarations = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                MetadataNames.BlockAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                (syntax, cancellationToken) => Guard(
                    probe, GeneratorStep.Read, () => (syntax.TargetSymbol.ToDisplayString(), ModelParser.ClassLocation(syntax)),
                    () => ModelParser.ParseBlock(syntax, cancellationToken),
                    failure => ModelParser.FailedBlock(syntax, failure)))
            .Where(static block => block is not null)
            .Select(static (block, _) => block!)
            .WithTrackingName(TrackingNames.BlockDeclarations);
        var blockAnalyses = blockDeclarations
            .Select((block, _) => Guard(
                probe, GeneratorStep.Check, () => (DisplayName(block), block.Location),
                () => BlockAnalyzer.Analyze(block),
                failure => new BlockAnalysis(block, null, block.Diagnostics.Append(failure).ToEquatableArray())))
            .WithTrackingName(TrackingNames.BlockAnalyses);
        var library = blockAnalyses
            .Collect()
            .Select(static (blocks, _) => new BlockLibrary(blocks.ToEquatableArray()))
            .WithTrackingName(TrackingNames.BlockLibrary);

        // 1c. Backbones: every network collected, so that one declared with [Backbone] finds the declarations of
        //     its backbones. A network without a backbone resolves to itself alone, and stays cached.
        var networks = declarations
            .Collect()
            .Select(static (all, _) => new NetworkLibrary(all.ToEquatableArray()))
            .WithTrackingName(TrackingNames.NetworkLibrary);
        var resolved = declarations
            .Combine(networks)
            .Select(static (pair, _) => pair.Right.Resolve(pair.Left))
            .WithTrackingName(TrackingNames.Backbones);

        // 2. Shapes: infer every layer's shape and name, and locate each problem.
        var analyses = resolved
            .Combine(library)
            .Select((pair, _) => Guard(
                probe, GeneratorStep.Check, () => (DisplayName(pair.Left.Declaration), pair.Left.Declaration.InputLocation),
                () => TransferAnalyzer.Analyze(pair.Left, pair.Right),
                failure => ModelAnalyzer.Failed(pair.Left.Declaration, failure)))
            .WithTrackingName(TrackingNames.Analyses);

        // 3. Diagnostics: report them on their attributes.
        var diagnostics = analyses
            .Select(static (analysis, _) => analysis.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (output, found) => Report(output, found));

        // 4. Emit: one module per error-free model, and a stand-in for each of the others, so that code using
        //    them compiles and only their own errors show.
        var models = analyses
            .Select(static (analysis, _) => analysis.Model)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.Models);
        var unusable = analyses
            .Select(static (analysis, _) => analysis.Unusable)
            .Where(static declaration => declaration is not null)
            .Select(static (declaration, _) => declaration!)
            .WithTrackingName(TrackingNames.Unusable);
        // Where DeclCnn.Runtime is referenced, models and blocks also write their ONNX export through its builder.
        var exportsOnnx = context.CompilationProvider
            .Select(static (compilation, _) => compilation.GetTypeByMetadataName(MetadataNames.OnnxGraphBuilder) is not null)
            .WithTrackingName(TrackingNames.OnnxExport);
        // The model's PyTorch source includes the classes of the blocks it uses, so it reads the library too.
        context.RegisterSourceOutput(models.Combine(library).Combine(exportsOnnx), (output, pair) => EmitModel(output, pair.Left.Left, pair.Left.Right, pair.Right, probe));
        context.RegisterSourceOutput(unusable.Combine(exportsOnnx), static (output, pair) => output.AddSource(pair.Left.HintName, StandInEmitter.Emit(pair.Left, pair.Right)));

        // 3b and 4b. The same for blocks.
        context.RegisterSourceOutput(
            blockAnalyses.Select(static (analysis, _) => analysis.Diagnostics).WithTrackingName(TrackingNames.BlockDiagnostics),
            static (output, found) => Report(output, found));
        context.RegisterSourceOutput(blockAnalyses.Combine(library).Combine(exportsOnnx), (output, pair) => EmitBlock(output, pair.Left.Left, pair.Left.Right, pair.Right, probe));

        // Where DeclCnn.Runtime is referenced, load TorchSharp's native library (with the
        // compatibility fix for older C++ runtimes) before any code of the assembly runs.
        var needsInitializer = context.CompilationProvider
            .Select(static (compilation, _) =>
                compilation.GetTypeByMetadataName(MetadataNames.TorchSharpNative) is not null
                && compilation.GetTypeByMetadataName(MetadataNames.ModuleInitializerAttribute) is not null)
            .WithTrackingName(TrackingNames.NativeInitializer);
        context.RegisterSourceOutput(needsInitializer, static (output, needed) =>
        {
            if (needed)
            {
                output.AddSource("DeclCnn.NativeInitializer.g.cs", NativeInitializerEmitter.Source);
            }
        });
    }

    /// <summary>
    /// Runs one step for one declaration; where it throws (a generator bug, not a cancellation), the result of
    /// <paramref name="failed"/> with the failure as a DCNN0035 on the declaration <paramref name="where"/> names and
    /// locates. That is worked out only when needed: the read step runs for every declaration on every edit.
    /// </summary>
    private static T Guard<T>(
        Action<GeneratorStep, string>? probe, GeneratorStep step, Func<(string Declaration, LocationInfo? Location)> where, Func<T> work, Func<DiagnosticInfo, T> failed)
    {
        try
        {
            if (probe is not null)
            {
                probe(step, where().Declaration);
            }

            return work();
        }
        catch (Exception exception) when (GeneratorFailure.IsFailure(exception))
        {
            var (declaration, location) = where();
            return failed(GeneratorFailure.Of(step, declaration, location, exception));
        }
    }

    /// <summary>
    /// Writes an error-free model. Where that fails, the model, which holds no source location (so that moving
    /// the declaration does not re-emit it), gets its DCNN0035 without one, and a stand-in.
    /// </summary>
    private static void EmitModel(SourceProductionContext output, AnalyzedModel model, BlockLibrary library, bool exportsOnnx, Action<GeneratorStep, string>? probe)
    {
        var source = Guard(probe, GeneratorStep.Write, () => (HintNames.DisplayName(model.Namespace, model.ContainingTypes, model.ClassName), null), () => ModuleEmitter.Emit(model, PyTorchEmitter.UsedBlocks(model, library), exportsOnnx), failure =>
        {
            output.ReportDiagnostic(failure.ToDiagnostic());
            return StandInEmitter.Emit(UnusableDeclaration.For(model, UnusableDeclaration.HasErrors(new[] { failure })), exportsOnnx);
        });
        output.AddSource(model.HintName, source);
    }

    /// <summary>
    /// Emits a block, after the checks that only show with the other blocks: a loop through its stages or shortcut
    /// block, a stage or shortcut of a class that is not a block, blocks nested too deep, and blocks it uses that have
    /// errors (those are reported where they are). A block that cannot be used gets a stand-in that says why.
    /// </summary>
    private static void EmitBlock(SourceProductionContext output, BlockAnalysis analysis, BlockLibrary library, bool exportsOnnx, Action<GeneratorStep, string>? probe)
    {
        var declaration = analysis.Declaration;
        var found = Guard<(DiagnosticInfo[] Diagnostics, string? Source)>(
            probe, GeneratorStep.Write, () => (DisplayName(declaration), declaration.Location),
            () => CheckAndEmitBlock(analysis, library, exportsOnnx),
            failure => (new[] { failure }, null));
        foreach (var diagnostic in found.Diagnostics)
        {
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
        }

        if (found.Source is not null)
        {
            output.AddSource(HintNames.Of(declaration.Namespace, declaration.ContainingTypes, declaration.ClassName), found.Source);
            return;
        }

        var diagnostics = analysis.Diagnostics.Concat(found.Diagnostics).ToList();
        var reason = diagnostics.Count > 0
            ? UnusableDeclaration.HasErrors(diagnostics)
            : analysis.Block is null
                ? UnusableDeclaration.HalfTyped
                : UnusableDeclaration.UsesUnusableBlocks(BlockLibrary.UsedBlocks(declaration).Where(used => !library.IsUsable(used)).Select(BlockScope.SimpleName));
        if (UnusableDeclaration.For(declaration, reason, diagnostics) is { } standIn)
        {
            output.AddSource(standIn.HintName, StandInEmitter.Emit(standIn, exportsOnnx));
        }
    }

    /// <summary>The block's diagnostics that need the other blocks, and its source where it can be used.</summary>
    private static (DiagnosticInfo[] Diagnostics, string? Source) CheckAndEmitBlock(BlockAnalysis analysis, BlockLibrary library, bool exportsOnnx)
    {
        if (analysis.Block is not { } block)
        {
            return (Array.Empty<DiagnosticInfo>(), null);
        }

        var declaration = analysis.Declaration;
        if (library.FindCycle(declaration.MetadataName) is { } cycle)
        {
            return (new[] { DiagnosticInfo.Create(DiagnosticDescriptors.BlockUsesItself, declaration.Location, $"[Block] {block.ClassName}", block.ClassName, cycle) }, null);
        }

        var diagnostics = new List<DiagnosticInfo>();
        var depth = library.Depth(declaration.MetadataName);
        for (var i = 0; i < declaration.Layers.Count; i++)
        {
            var layer = declaration.Layers[i];
            if (BlockLibrary.UsedBlock(layer.Spec) is not { } used)
            {
                continue;
            }

            var reference = $"{LayerDescriber.Describe(layer.Spec, layer.Symbolic)} (layer {i + 1} of {block.ClassName})";
            var location = layer.LocationOf(layer.Spec is JoinSpec ? nameof(AddAttribute.Projection) : null);
            if (library.Find(used) is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotABlock, location, reference, BlockScope.SimpleName(used)));
            }
            else if (depth == BlockLibrary.MaxNesting + 1 && library.Depth(used) == BlockLibrary.MaxNesting)
            {
                // Reported at the use that crosses the limit; the blocks that use this one wait for the fix.
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BlocksNestedTooDeep, location, reference, block.ClassName, depth.ToString(CultureInfo.InvariantCulture), BlockLibrary.MaxNesting.ToString(CultureInfo.InvariantCulture)));
            }
        }

        return diagnostics.Count == 0 && library.IsUsable(declaration.MetadataName)
            ? (Array.Empty<DiagnosticInfo>(), BlockEmitter.Emit(block, library, exportsOnnx))
            : (diagnostics.ToArray(), null);
    }

    private static string DisplayName(ModelDeclaration declaration) => HintNames.DisplayName(declaration.Namespace, declaration.ContainingTypes, declaration.ClassName);

    private static string DisplayName(BlockDeclaration declaration) => HintNames.DisplayName(declaration.Namespace, declaration.ContainingTypes, declaration.ClassName);

    private static void Report(SourceProductionContext output, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
    }
}
