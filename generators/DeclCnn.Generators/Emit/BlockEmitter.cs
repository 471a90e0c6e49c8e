using System;
using System.Collections.Generic;
using System.Linq;
using DeclCnn.Generators.Analysis;
using DeclCnn.Generators.Kinds;
using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Emit;

/// <summary>
/// Writes a block as a partial TorchSharp module whose constructor takes the values of one use:
/// the channels it receives, <c>Block.Channels</c> and <c>Block.Stride</c>. Every size is a C#
/// expression over those, so one class serves every width and stride; the shapes were checked
/// at each use. Where the project references DeclCnn.Runtime, a static method adds the block's
/// operations for one use to a model's ONNX export. Its Python class is written for the models' PyTorch source.
/// </summary>
internal static class BlockEmitter
{
    private const string InChannels = ParameterExpression.InChannels;

    /// <summary>The runtime's ONNX value, which a block's export takes and returns.</summary>
    public const string OnnxValue = "global::DeclCnn.Runtime.Interchange.Onnx.OnnxValue";

    public static string Emit(AnalyzedBlock block, BlockLibrary library, bool exportsOnnx)
    {
        var (layers, _) = Size(block, library);
        return ModuleFile.Write(block.Namespace, block.ContainingTypes, block.ClassName, null, Describe(block), Array.Empty<string>(), block.HasOwnSummary, writer =>
        {
            foreach (var layer in layers)
            {
                writer.Line($"private readonly {ModuleFactory.TypeName(layer.ModuleType)} {layer.Layer.Name};");
            }

            if (HasProjection(block))
            {
                var type = block.Join!.ProjectionBlock ?? "global::TorchSharp.Modules.Sequential";
                writer.Line($"private readonly {type}{(AlwaysProjects(block) ? string.Empty : "?")} {BlockAnalyzer.ShortcutName};");
            }

            writer.Line();
            WriteConstructor(writer, block, layers);
            writer.Line();
            WriteForward(writer, block, layers);
            if (exportsOnnx)
            {
                writer.Line();
                WriteExportOnnx(writer, block, layers);
            }

            writer.Line();
            PyTorchEmitter.WriteBlockClass(writer, block, layers, BodyOutputChannels(block, layers));
        });
    }

    public static string Describe(AnalyzedBlock block) => block.Join switch
    {
        { IsAdd: true } => "a residual block, y = body(x) + shortcut(x)",
        { IsAdd: false } => "a dense block, y = cat(x, body(x)) over channels",
        null => "a block of layers",
    };

    public static bool HasProjection(AnalyzedBlock block) =>
        block.Join is { IsAdd: true } join && (join.Shortcut != Shortcut.Identity || join.ProjectionBlock is not null);

    /// <summary>Whether the shortcut always goes through a module (else only when the shapes differ).</summary>
    public static bool AlwaysProjects(AnalyzedBlock block) =>
        block.Join is { IsAdd: true } join && (join.Shortcut == Shortcut.Projection || join.ProjectionBlock is not null);

    private static void WriteConstructor(IndentedWriter writer, AnalyzedBlock block, List<SizedLayer> layers)
    {
        writer.Line("/// <summary>Creates the block for one use, with freshly initialized weights, on the CPU.</summary>");
        writer.Line("/// <param name=\"inChannels\">The channels the block receives.</param>");
        writer.Line("/// <param name=\"channels\">The block's <c>Block.Channels</c> at this use.</param>");
        writer.Line("/// <param name=\"stride\">The block's <c>Block.Stride</c> at this use.</param>");
        writer.Line("/// <param name=\"name\">The module's name.</param>");
        writer.Line($"public {Identifier.Escape(block.ClassName)}(long inChannels, long channels, long stride = 1, string name = \"{block.ClassName}\")");
        writer.Line("    : base(name)");
        using (writer.Block())
        {
            foreach (var layer in layers)
            {
                writer.Line($"{layer.Layer.Name} = {layer.Layer.Spec.Module.Create(layer.Layer.Spec, layer.Context)};");
            }

            if (HasProjection(block))
            {
                var bodyOutput = BodyOutputChannels(block, layers).ToCSharp();
                var projection = block.Join!.ProjectionBlock is { } projectionBlock
                    ? $"new {projectionBlock}({InChannels}, {bodyOutput}, {ParameterExpression.Stride})"
                    : ModuleFactory.Projection(InChannels, bodyOutput, ParameterExpression.Stride);
                writer.Line(AlwaysProjects(block)
                    ? $"{BlockAnalyzer.ShortcutName} = {projection};"
                    : $"{BlockAnalyzer.ShortcutName} = stride != 1 || {InChannels} != {bodyOutput} ? {projection} : null;");
            }

            InitEmitter.Write(writer, InitStatements(block));

            writer.Line();
            foreach (var layer in layers)
            {
                writer.Line($"register_module(\"{layer.Layer.Name}\", {layer.Layer.Name});");
            }

            if (AlwaysProjects(block))
            {
                writer.Line($"register_module(\"{BlockAnalyzer.ShortcutName}\", {BlockAnalyzer.ShortcutName});");
            }
            else if (HasProjection(block))
            {
                using (writer.Block($"if ({BlockAnalyzer.ShortcutName} is not null)"))
                {
                    writer.Line($"register_module(\"{BlockAnalyzer.ShortcutName}\", {BlockAnalyzer.ShortcutName});");
                }
            }
        }
    }

    private static List<string> InitStatements(AnalyzedBlock block)
    {
        var statements = InitEmitter.Statements(block.Init, block.Body.Concat(block.After).Select(static l => (l.Name, l.Spec)));
        // A projection block initializes itself; the 1x1 projection follows this block's [WeightInit].
        if (HasProjection(block) && block.Join!.ProjectionBlock is null && InitEmitter.Projection(block.Init, BlockAnalyzer.ShortcutName) is { } projection)
        {
            statements.Add(AlwaysProjects(block) ? projection : $"if ({BlockAnalyzer.ShortcutName} is not null) {projection}");
        }

        if (ZeroInitBatchNorm(block) is { } batchNorm)
        {
            statements.Add($"global::TorchSharp.torch.nn.init.zeros_({batchNorm}.weight!);");
        }

        return statements;
    }

    /// <summary>torchvision's zero_init_residual: the batch norm whose weight starts at zero, so that the residual block starts as the identity; null when none does.</summary>
    public static string? ZeroInitBatchNorm(AnalyzedBlock block) =>
        block.Init is { ZeroInitLastBatchNorm: true } && block.Join is { IsAdd: true }
            ? block.Body.LastOrDefault(static l => l.Spec is BatchNormSpec)?.Name
            : null;

    private static void WriteForward(IndentedWriter writer, AnalyzedBlock block, List<SizedLayer> layers)
    {
        writer.Line("/// <summary>Runs a batch through the block.</summary>");
        writer.Line("/// <param name=\"input\">The input batch.</param>");
        writer.Line("/// <returns>The block's output for the batch.</returns>");
        using (writer.Block($"public override {ModuleFile.Tensor} forward({ModuleFile.Tensor} input)"))
        {
            var previous = "input";
            var count = 0;
            var statements = new List<string>();
            string Next(string expression)
            {
                count++;
                statements.Add($"using var x{count} = {expression};");
                return $"x{count}";
            }

            foreach (var layer in layers.Take(block.Body.Count))
            {
                previous = Next($"{layer.Layer.Name}.call({previous})");
            }

            switch (block.Join)
            {
                case { IsAdd: true, Shortcut: Shortcut.Identity, ProjectionBlock: null }:
                    previous = Next($"{previous}.add(input)");
                    break;
                case { IsAdd: true } when AlwaysProjects(block):
                    statements.Add($"using var shortcut = {BlockAnalyzer.ShortcutName}.call(input);");
                    previous = Next($"{previous}.add(shortcut)");
                    break;
                case { IsAdd: true }:
                    statements.Add($"using var shortcut = {BlockAnalyzer.ShortcutName}?.call(input);");
                    previous = Next($"{previous}.add(shortcut ?? input)");
                    break;
                case { IsAdd: false }:
                    previous = Next($"global::TorchSharp.torch.cat(new[] {{ input, {previous} }}, 1)");
                    break;
            }

            foreach (var layer in layers.Skip(block.Body.Count))
            {
                previous = Next($"{layer.Layer.Name}.call({previous})");
            }

            // The last statement returns its value instead of disposing it.
            var last = statements[statements.Count - 1];
            statements[statements.Count - 1] = "return " + last.Substring(last.IndexOf('=') + 2);
            foreach (var statement in statements)
            {
                writer.Line(statement);
            }
        }
    }

    private static void WriteExportOnnx(IndentedWriter writer, AnalyzedBlock block, List<SizedLayer> layers)
    {
        const string onnx = OnnxContext.Builder;
        const string x = OnnxContext.Value;
        writer.Line("/// <summary>Adds the block's operations for one use to an ONNX graph, in the scope of its name.</summary>");
        writer.Line("/// <param name=\"onnx\">The graph being built.</param>");
        writer.Line("/// <param name=\"input\">The block's input.</param>");
        writer.Line("/// <param name=\"name\">The block's name in its stage (its weights are keyed <c>stage.name.layer</c>).</param>");
        writer.Line("/// <param name=\"inChannels\">The channels the block receives.</param>");
        writer.Line("/// <param name=\"channels\">The block's <c>Block.Channels</c> at this use.</param>");
        writer.Line("/// <param name=\"stride\">The block's <c>Block.Stride</c> at this use.</param>");
        writer.Line("/// <returns>The block's output.</returns>");
        using (writer.Block($"internal static {OnnxValue} ExportOnnx({ModuleEmitter.OnnxGraphBuilder} {onnx}, {OnnxValue} input, string name, long inChannels, long channels, long stride)"))
        {
            writer.Line($"using var scope = {onnx}.Scope(name);");
            writer.Line($"var {x} = input;");
            foreach (var layer in layers.Take(block.Body.Count))
            {
                WriteLayerOnnx(writer, layer);
            }

            switch (block.Join)
            {
                case { IsAdd: true, Shortcut: Shortcut.Identity, ProjectionBlock: null }:
                    writer.Line($"{x} = {onnx}.Add({x}, input, \"add\");");
                    break;
                case { IsAdd: true }:
                    WriteShortcutOnnx(writer, block, layers);
                    writer.Line($"{x} = {onnx}.Add({x}, shortcut, \"add\");");
                    break;
                case { IsAdd: false }:
                    writer.Line($"{x} = {onnx}.Concat(new[] {{ input, {x} }}, \"cat\");");
                    break;
            }

            foreach (var layer in layers.Skip(block.Body.Count))
            {
                WriteLayerOnnx(writer, layer);
            }

            writer.Line($"return {x};");
        }
    }

    private static void WriteLayerOnnx(IndentedWriter writer, SizedLayer layer) =>
        layer.Layer.Spec.Module.WriteOnnx(layer.Layer.Spec, new OnnxContext(layer.Layer.Name, layer.Context, input: null), writer);

    /// <summary>The shortcut's operations: the projection block's, or the 1x1 convolution and batch norm; where the block projects only when the shapes differ, under the same condition as in the constructor.</summary>
    private static void WriteShortcutOnnx(IndentedWriter writer, AnalyzedBlock block, List<SizedLayer> layers)
    {
        const string onnx = OnnxContext.Builder;
        var bodyOutput = BodyOutputChannels(block, layers).ToCSharp();
        writer.Line("var shortcut = input;");
        using (AlwaysProjects(block) ? null : writer.Block($"if (stride != 1 || {InChannels} != {bodyOutput})"))
        {
            if (block.Join!.ProjectionBlock is { } projectionBlock)
            {
                writer.Line($"shortcut = {projectionBlock}.ExportOnnx({onnx}, input, \"{BlockAnalyzer.ShortcutName}\", {InChannels}, {bodyOutput}, {ParameterExpression.Stride});");
                return;
            }

            using (writer.Block($"using ({onnx}.Scope(\"{BlockAnalyzer.ShortcutName}\"))"))
            {
                writer.Line($"shortcut = {onnx}.Conv(shortcut, \"0\", stride: {OnnxContext.LongArray(ParameterExpression.Stride, ParameterExpression.Stride)});");
                writer.Line($"shortcut = {onnx}.BatchNorm(shortcut, \"1\");");
            }
        }
    }

    /// <summary>A block layer with the context its factory call is written in, and the C# expression of the channels it produces.</summary>
    internal sealed record SizedLayer(BlockLayer Layer, ModuleContext Context, IntExpression OutChannels)
    {
        public string ModuleType => Context.ModuleType;
    }

    /// <summary>Sizes every layer of a block symbolically; returns the layers and the block's output channels.</summary>
    private static (List<SizedLayer> Layers, IntExpression Output) Size(AnalyzedBlock block, BlockLibrary library)
    {
        // A nested stage's blocks are sized by the inner block's output over its own parameters.
        IntExpression BlockOutput(string metadataName) => Size(library.Find(metadataName)!.Block!, library).Output;

        var sized = new List<SizedLayer>();
        IntExpression channels = new ParameterExpression(InChannels);
        foreach (var layer in block.Body)
        {
            sized.Add(SizeLayer(layer, channels, BlockOutput));
            channels = sized[sized.Count - 1].OutChannels;
        }

        if (block.Join is { IsAdd: false })
        {
            channels = new BinaryExpression('+', new ParameterExpression(InChannels), channels);
        }

        foreach (var layer in block.After)
        {
            sized.Add(SizeLayer(layer, channels, BlockOutput));
            channels = sized[sized.Count - 1].OutChannels;
        }

        return (sized, channels);
    }

    /// <summary>A block's layers always receive a feature map: a block may not flatten.</summary>
    private static SizedLayer SizeLayer(BlockLayer layer, IntExpression input, Func<string, IntExpression> blockOutput)
    {
        var context = new ModuleContext(input, new ModuleArguments(layer.Symbolic), layer.Spec.Module.ModuleType(layer.Spec, flatInput: false), default, blockOutput);
        return new SizedLayer(layer, context, layer.Spec.Module.OutChannels(layer.Spec, context));
    }

    private static IntExpression BodyOutputChannels(AnalyzedBlock block, List<SizedLayer> layers) =>
        block.Body.Count == 0 ? new ParameterExpression(InChannels) : layers[block.Body.Count - 1].OutChannels;
}
