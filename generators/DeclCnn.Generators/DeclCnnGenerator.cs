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
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // 1. Parse: each class marked [Input] becomes a value-equatable declaration.
        var declarations = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                MetadataNames.InputAttribute,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (syntax, cancellationToken) => ModelParser.Parse(syntax, cancellationToken))
            .Where(static declaration => declaration is not null)
            .Select(static (declaration, _) => declaration!)
            .WithTrackingName(TrackingNames.Declarations);

        // 1b. Blocks: classes marked [Block], parsed like models; checked on their own, and the
        //     analyses collected into one library for the models whose stages use them.
        var blockDeclarations = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                MetadataNames.BlockAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (syntax, cancellationToken) => ModelParser.ParseBlock(syntax, cancellationToken))
            .Where(static block => block is not null)
            .Select(static (block, _) => block!)
            .WithTrackingName(TrackingNames.BlockDeclarations);
        var blockAnalyses = blockDeclarations
            .Select(static (block, _) => BlockAnalyzer.Analyze(block))
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
            .Select(static (pair, _) => TransferAnalyzer.Analyze(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Analyses);

        // 3. Diagnostics: report them on their attributes.
        var diagnostics = analyses
            .Select(static (analysis, _) => analysis.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (output, found) => Report(output, found));

        // 4. Emit: one module per error-free model.
        var models = analyses
            .Select(static (analysis, _) => analysis.Model)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.Models);
        // Where DeclCnn.Runtime is referenced, models and blocks also write their ONNX export through its builder.
        var exportsOnnx = context.CompilationProvider
            .Select(static (compilation, _) => compilation.GetTypeByMetadataName(MetadataNames.OnnxGraphBuilder) is not null)
            .WithTrackingName(TrackingNames.OnnxExport);
        context.RegisterSourceOutput(models.Combine(exportsOnnx), static (output, pair) => output.AddSource(pair.Left.HintName, ModuleEmitter.Emit(pair.Left, pair.Right)));

        // 3b and 4b. The same for blocks.
        context.RegisterSourceOutput(
            blockAnalyses.Select(static (analysis, _) => analysis.Diagnostics).WithTrackingName(TrackingNames.BlockDiagnostics),
            static (output, found) => Report(output, found));
        context.RegisterSourceOutput(blockAnalyses.Combine(library).Combine(exportsOnnx), static (output, pair) => EmitBlock(output, pair.Left.Left, pair.Left.Right, pair.Right));

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
    /// Emits an error-free block, after the checks that only show with the other blocks: a loop through its
    /// stages or shortcut block, a stage or shortcut of a class that is not a block, and blocks it uses that
    /// have errors (those are reported where they are, and this block waits for the fix).
    /// </summary>
    private static void EmitBlock(SourceProductionContext output, BlockAnalysis analysis, BlockLibrary library, bool exportsOnnx)
    {
        if (analysis.Block is not { } block)
        {
            return;
        }

        var declaration = analysis.Declaration;
        if (library.FindCycle(declaration.MetadataName) is { } cycle)
        {
            output.ReportDiagnostic(DiagnosticInfo.Create(DiagnosticDescriptors.BlockUsesItself, declaration.Location, $"[Block] {block.ClassName}", block.ClassName, cycle).ToDiagnostic());
            return;
        }

        var usesClassesThatAreNotBlocks = false;
        for (var i = 0; i < declaration.Layers.Count; i++)
        {
            var layer = declaration.Layers[i];
            if (BlockLibrary.UsedBlock(layer.Spec) is { } used && library.Find(used) is null)
            {
                var reference = $"{LayerDescriber.Describe(layer.Spec, layer.Symbolic)} (layer {i + 1} of {block.ClassName})";
                var location = layer.LocationOf(layer.Spec is JoinSpec ? nameof(AddAttribute.Projection) : null);
                output.ReportDiagnostic(DiagnosticInfo.Create(DiagnosticDescriptors.NotABlock, location, reference, BlockScope.SimpleName(used)).ToDiagnostic());
                usesClassesThatAreNotBlocks = true;
            }
        }

        if (!usesClassesThatAreNotBlocks && library.IsUsable(declaration.MetadataName))
        {
            output.AddSource(block.HintName, BlockEmitter.Emit(block, library, exportsOnnx));
        }
    }

    private static void Report(SourceProductionContext output, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
    }
}
