using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DeclCnn.Generators.Analysis;
using DeclCnn.Generators.Model;

namespace DeclCnn.Generators.Emit;

/// <summary>
/// Writes one model as a partial TorchSharp module: a field and a factory call per layer, a
/// forward method with one line per layer, the compile-time summary, the network as PyTorch source, and, where the
/// project references DeclCnn.Runtime, the ONNX export. Each line carries the layer's output shape as a comment.
/// </summary>
internal static class ModuleEmitter
{
    /// <summary>The runtime's ONNX builder, which the export method calls.</summary>
    public const string OnnxGraphBuilder = "global::DeclCnn.Runtime.Interchange.Onnx.OnnxGraphBuilder";

    /// <summary>The runtime's interface of networks that export themselves, which models implement where they export.</summary>
    public const string OnnxExportable = "global::DeclCnn.Runtime.Interchange.Onnx.IOnnxExportable";

    private const string OnnxExportException = "global::DeclCnn.Runtime.Interchange.Onnx.OnnxExportException";
    /// <summary>The runtime's description of a trained network, which the ONNX export writes as metadata.</summary>
    public const string ModelInfo = "global::DeclCnn.Runtime.Inference.ModelInfo";

    /// <summary>The model's file; <paramref name="blocks"/> are the blocks it uses, in the order their PyTorch classes are defined.</summary>
    public static string Emit(AnalyzedModel model, IReadOnlyList<string> blocks, bool exportsOnnx) =>
        ModuleFile.Write(model.Namespace, model.ContainingTypes, model.ClassName, exportsOnnx ? OnnxExportable : null, Describe(model), LayerTable(model), model.HasOwnSummary, writer =>
        {
            WriteFields(writer, model);
            writer.Line();
            WriteConstructor(writer, model);
            writer.Line();
            WriteForward(writer, model);
            if (exportsOnnx)
            {
                writer.Line();
                WriteExportOnnx(writer, model);
            }

            writer.Line();
            WriteSummary(writer, model);
            writer.Line();
            PyTorchEmitter.WriteModelSource(writer, model, blocks);
            if (model.Backbone is { } backbone)
            {
                writer.Line();
                TransferEmitter.Write(writer, model, backbone, referencesRuntime: exportsOnnx);
            }
        });

    private static string Describe(AnalyzedModel model) =>
        $"{model.Input.ToTensorString()} -> {model.Output.ToTensorString()}, {Count(model.Layers.Sum(static l => l.Trace.Parameters))} parameters, "
        + $"{Count(model.Layers.Sum(static l => l.Trace.MultiplyAdds))} multiply-adds per sample";

    /// <summary>
    /// The layers as a doc-comment table (name; module, output shape, parameters and multiply-adds), which IDEs show on
    /// hover over the class, <c>forward</c> and <c>Summary</c>.
    /// </summary>
    private static List<string> LayerTable(AnalyzedModel model)
    {
        var lines = new List<string>
        {
            "<list type=\"table\">",
            "<listheader><term>Layer</term><description>Module: output shape, parameters, multiply-adds</description></listheader>",
        };
        lines.AddRange(model.Layers.Select(static l =>
            $"<item><term>{l.Name}</term><description>{l.Trace.ModuleType}: {l.Trace.Output.ToTensorString()}, {Count(l.Trace.Parameters)} parameters, {Count(l.Trace.MultiplyAdds)} multiply-adds</description></item>"));
        lines.Add("</list>");
        return lines;
    }

    private static void WriteFields(IndentedWriter writer, AnalyzedModel model)
    {
        var declarations = model.Layers.Select(static l => $"private readonly {ModuleFactory.TypeName(l.Trace.ModuleType)} {l.Name};").ToList();
        var comments = model.Layers.Select(static l => l.Trace.Output.ToTensorString()
            + (l.Trace.Parameters > 0 ? $", {Count(l.Trace.Parameters)} parameters" : string.Empty)).ToList();
        WriteAligned(writer, declarations, comments);
    }

    private static void WriteConstructor(IndentedWriter writer, AnalyzedModel model)
    {
        writer.Line("/// <summary>Creates the network with freshly initialized weights, on the CPU.</summary>");
        writer.Line("/// <param name=\"name\">The module's name.</param>");
        writer.Line($"public {Identifier.Escape(model.ClassName)}(string name = \"{model.ClassName}\")");
        writer.Line("    : base(name)");
        using (writer.Block())
        {
            foreach (var layer in model.Layers)
            {
                writer.Line($"{layer.Name} = {Create(layer)};");
            }

            InitEmitter.Write(writer, InitEmitter.Statements(model.Init, model.Layers.Select(static l => (l.Name, l.Spec))));
            writer.Line();
            foreach (var layer in model.Layers)
            {
                writer.Line($"register_module(\"{layer.Name}\", {layer.Name});");
            }
        }
    }

    private static string Create(AnalyzedLayer layer) => layer.Spec.Module.Create(layer.Spec, Context(layer));

    public static ModuleContext Context(AnalyzedLayer layer) =>
        new(new ConstantExpression(layer.Trace.Input.Channels), ModuleArguments.Constant, layer.Trace.ModuleType, layer.Trace.BlockInputChannels, blockOutput: null);

    private static void WriteForward(IndentedWriter writer, AnalyzedModel model)
    {
        ModuleFile.WriteDoc(writer, "summary", $"Runs a batch {model.Input.ToTensorString()} through the network; returns {model.Output.ToTensorString()}.", LayerTable(model));
        writer.Line("/// <param name=\"input\">The input batch.</param>");
        writer.Line("/// <returns>The network's output for the batch.</returns>");
        using (writer.Block($"public override {ModuleFile.Tensor} forward({ModuleFile.Tensor} input)"))
        {
            // call() runs the submodule with its hooks, as PyTorch's __call__ does. Each
            // intermediate is disposed when forward returns; autograd keeps what it needs.
            var statements = new List<string>();
            var previous = "input";
            for (var i = 0; i < model.Layers.Count; i++)
            {
                var call = $"{model.Layers[i].Name}.call({previous})";
                var last = i == model.Layers.Count - 1;
                statements.Add(last ? $"return {call};" : $"using var x{i + 1} = {call};");
                previous = $"x{i + 1}";
            }

            WriteAligned(writer, statements, model.Layers.Select(static l => l.Trace.Output.ToTensorString()).ToList());
        }
    }

    private static void WriteExportOnnx(IndentedWriter writer, AnalyzedModel model)
    {
        writer.Line("/// <summary>");
        writer.Line("/// The network with its current (trained) weights as an ONNX model, opset 17, serialized (the bytes of an <c>.onnx</c> file):");
        writer.Line($"/// input <c>{model.Input.ToTensorString()}</c>, output <c>{model.Output.ToTensorString()}</c>, with a dynamic batch dimension N.");
        writer.Line("/// Every layer is written in its inference form (batch norm with its running statistics, dropout as identity).");
        writer.Line("/// </summary>");
        writer.Line("/// <param name=\"info\">The classifier's input shape, statistics, class names and provenance, written as the model's metadata; null writes none.</param>");
        writer.Line($"/// <exception cref=\"{OnnxExportException}\">A layer ONNX cannot express exactly; the message names it.</exception>");
        using (writer.Block($"public byte[] ToOnnx({ModelInfo}? info = null)"))
        {
            var inputShape = string.Join(", ", model.Input.Dimensions.Select(static d => d.ToString(CultureInfo.InvariantCulture)));
            writer.Line($"var {OnnxContext.Builder} = new {OnnxGraphBuilder}(this, \"{model.ClassName}\", {inputShape});");
            writer.Line($"var {OnnxContext.Value} = {OnnxContext.Builder}.Input;");
            foreach (var layer in model.Layers)
            {
                layer.Spec.Module.WriteOnnx(layer.Spec, new OnnxContext(layer.Name, Context(layer), layer.Trace.Input), writer);
            }

            writer.Line($"return {OnnxContext.Builder}.Serialize({OnnxContext.Value}, {LongArray(model.Output.Dimensions)}, info);");
        }

        writer.Line();
        writer.Line("/// <summary>Writes <see cref=\"ToOnnx\"/> to <paramref name=\"path\"/>, atomically.</summary>");
        writer.Line("/// <param name=\"path\">The <c>.onnx</c> file to write.</param>");
        writer.Line("/// <param name=\"info\">The classifier's information, written as the model's metadata; null writes none.</param>");
        writer.Line($"/// <exception cref=\"{OnnxExportException}\">A layer ONNX cannot express exactly (the message names it), or the file cannot be written.</exception>");
        writer.Line($"public void ExportOnnx(string path, {ModelInfo}? info = null) => {OnnxGraphBuilder}.Write(ToOnnx(info), \"{model.ClassName}\", path);");
    }

    private static void WriteSummary(IndentedWriter writer, AnalyzedModel model)
    {
        ModuleFile.WriteDoc(writer, "summary", "Layers, output shapes, parameter counts and multiply-adds, computed at compile time.", LayerTable(model));
        writer.Line("public static global::DeclCnn.ModelSummary Summary { get; } = new(");
        writer.Line($"    \"{model.ClassName}\",");
        writer.Line($"    {LongArray(model.Input.Dimensions)},");
        writer.Line("    new global::DeclCnn.LayerSummary[]");
        writer.Line("    {");
        foreach (var layer in model.Layers)
        {
            writer.Line($"        new(\"{layer.Name}\", \"{layer.Trace.ModuleType}\", {LongArray(layer.Trace.Output.Dimensions)}, {layer.Trace.Parameters.ToString(CultureInfo.InvariantCulture)}, {layer.Trace.MultiplyAdds.ToString(CultureInfo.InvariantCulture)}),");
        }

        writer.Line("    });");
    }

    /// <summary>Writes statements with their trailing comments lined up in one column.</summary>
    private static void WriteAligned(IndentedWriter writer, List<string> statements, List<string> comments)
    {
        var width = statements.Max(static s => s.Length) + 2;
        for (var i = 0; i < statements.Count; i++)
        {
            writer.Line(statements[i].PadRight(width) + "// " + comments[i]);
        }
    }

    private static string LongArray(IEnumerable<long> values) =>
        $"new long[] {{ {string.Join(", ", values.Select(static v => v.ToString(CultureInfo.InvariantCulture)))} }}";

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
