using System;
using System.Linq;
using DeclCnn.Generators.Analysis;

namespace DeclCnn.Generators.Emit;

/// <summary>
/// Writes the stand-in for a declaration that cannot become a module yet: the members the module would have,
/// with the same signatures, each throwing an exception that names the declaration's errors. Code that uses the
/// class compiles; only running it fails, and it says why.
/// </summary>
internal static class StandInEmitter
{
    public static string Emit(UnusableDeclaration declaration, bool exportsOnnx)
    {
        var summary = $"cannot be used yet, as {declaration.Reason}; its members throw until that is fixed";
        var implements = exportsOnnx && !declaration.IsBlock && !declaration.OwnMembers.Contains("ExportOnnx") ? ModuleEmitter.OnnxExportable : null;
        return ModuleFile.Write(declaration.Namespace, declaration.ContainingTypes, declaration.ClassName, implements, summary, Array.Empty<string>(), declaration.HasOwnSummary, writer =>
        {
            var className = Identifier.Escape(declaration.ClassName);
            var unusable = $"throw new global::System.InvalidOperationException(\"{Escape($"{declaration.ClassName} cannot be used: {declaration.Reason}; see the build's error list.")}\");";
            var throws = $"/// <exception cref=\"global::System.InvalidOperationException\">Always: {declaration.ClassName} cannot be used yet.</exception>";

            writer.Line($"/// <summary>Would create the {(declaration.IsBlock ? "block" : "network")}; throws until its declaration is fixed.</summary>");
            if (declaration.IsBlock)
            {
                writer.Line("/// <param name=\"inChannels\">The channels the block receives.</param>");
                writer.Line("/// <param name=\"channels\">The block's <c>Block.Channels</c> at this use.</param>");
                writer.Line("/// <param name=\"stride\">The block's <c>Block.Stride</c> at this use.</param>");
            }

            writer.Line("/// <param name=\"name\">The module's name.</param>");
            writer.Line(throws);
            writer.Line(declaration.IsBlock
                ? $"public {className}(long inChannels, long channels, long stride = 1, string name = \"{declaration.ClassName}\")"
                : $"public {className}(string name = \"{declaration.ClassName}\")");
            writer.Line("    : base(name)");
            using (writer.Block())
            {
                writer.Line(unusable);
            }

            // A member after the constructor: a blank line, its doc comment, and a body that throws.
            void Member(string signature, params string[] doc)
            {
                writer.Line();
                foreach (var line in doc)
                {
                    writer.Line("/// " + line);
                }

                writer.Line(throws);
                writer.Line(signature + " =>");
                writer.Line("    " + unusable);
            }

            const string Returns = "<returns>Nothing: it throws.</returns>";
            const string Info = "<param name=\"info\">What the model's metadata would say.</param>";
            if (!declaration.OwnMembers.Contains("forward"))
            {
                Member(
                    $"public override {ModuleFile.Tensor} forward({ModuleFile.Tensor} input)",
                    "<summary>Would run a batch through the module; throws until its declaration is fixed.</summary>",
                    "<param name=\"input\">The input batch.</param>",
                    Returns);
            }

            if (exportsOnnx && declaration.IsBlock)
            {
                Member(
                    $"internal static {BlockEmitter.OnnxValue} ExportOnnx({ModuleEmitter.OnnxGraphBuilder} onnx, {BlockEmitter.OnnxValue} input, string name, long inChannels, long channels, long stride)",
                    "<summary>Would add the block's operations for one use to an ONNX graph; throws until its declaration is fixed.</summary>",
                    "<param name=\"onnx\">The graph being built.</param>",
                    "<param name=\"input\">The block's input.</param>",
                    "<param name=\"name\">The block's name in its stage.</param>",
                    "<param name=\"inChannels\">The channels the block receives.</param>",
                    "<param name=\"channels\">The block's <c>Block.Channels</c> at this use.</param>",
                    "<param name=\"stride\">The block's <c>Block.Stride</c> at this use.</param>",
                    Returns);
            }

            if (exportsOnnx && !declaration.IsBlock && !declaration.OwnMembers.Contains("ExportOnnx"))
            {
                Member(
                    $"public byte[] ToOnnx({ModuleEmitter.ModelInfo}? info = null)",
                    "<summary>Would give the network as an ONNX model; throws until its declaration is fixed.</summary>",
                    Info,
                    Returns);
                Member(
                    $"public void ExportOnnx(string path, {ModuleEmitter.ModelInfo}? info = null)",
                    "<summary>Would write the network as an ONNX model; throws until its declaration is fixed.</summary>",
                    "<param name=\"path\">The <c>.onnx</c> file to write.</param>",
                    Info);
            }

            if (!declaration.IsBlock && !declaration.OwnMembers.Contains("Summary"))
            {
                Member(
                    "public static global::DeclCnn.ModelSummary Summary",
                    "<summary>Would list the layers, output shapes and parameter counts; throws until the declaration is fixed.</summary>");
            }

            if (!declaration.IsBlock && !declaration.OwnMembers.Contains("PyTorchSource"))
            {
                Member(
                    "public static string PyTorchSource",
                    "<summary>Would give the network as the source of a PyTorch module; throws until the declaration is fixed.</summary>");
            }

            if (declaration.IsTransfer && !declaration.OwnMembers.Contains("BackboneLayers"))
            {
                Member(
                    "public static global::System.Collections.Generic.IReadOnlyList<string> BackboneLayers",
                    "<summary>Would list the layers reused from the backbone; throws until the declaration is fixed.</summary>");
            }

            if (declaration.IsTransfer && exportsOnnx && !declaration.OwnMembers.Contains("LoadBackbone"))
            {
                Member(
                    $"public {TransferEmitter.ModelFileHeader} LoadBackbone(string path)",
                    "<summary>Would load the backbone's weights from a model file; throws until the declaration is fixed.</summary>",
                    "<param name=\"path\">A model file of the backbone's network.</param>",
                    Returns);
            }

            if (declaration.IsTransfer && exportsOnnx && !declaration.OwnMembers.Contains("FreezeBackbone"))
            {
                Member(
                    "public void FreezeBackbone()",
                    "<summary>Would freeze the backbone; throws until the declaration is fixed.</summary>");
            }
        });
    }

    /// <summary>The text of a C# string literal.</summary>
    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
