using System.Linq;
using DeclCnn.Generators.Analysis;

namespace DeclCnn.Generators.Emit;

/// <summary>
/// Writes what a network declared with <c>[Backbone]</c> adds: the names of its backbone's layers and, where the
/// project references DeclCnn.Runtime, loading the backbone's weights from the source network's model file and
/// freezing the backbone.
/// </summary>
internal static class TransferEmitter
{
    /// <summary>What <c>LoadBackbone</c> returns.</summary>
    public const string ModelFileHeader = "global::DeclCnn.Runtime.Inference.ModelFileHeader";

    public static void Write(IndentedWriter writer, AnalyzedModel model, BackboneSummary backbone, bool referencesRuntime)
    {
        var source = $"<see cref=\"{backbone.MetadataName}\"/>";
        var last = model.Layers[backbone.LayerCount - 1].Name;
        var names = string.Join(", ", model.Layers.Take(backbone.LayerCount).Select(static l => $"\"{l.Name}\""));
        writer.Line("/// <summary>");
        writer.Line($"/// The layers reused from {source}, its first through <c>{last}</c>, under their names there, so their state-dict");
        writer.Line($"/// keys are {backbone.ClassName}'s. The layers after them are the head.");
        writer.Line("/// </summary>");
        writer.Line($"public static global::System.Collections.Generic.IReadOnlyList<string> BackboneLayers {{ get; }} = new[] {{ {names} }};");
        if (!referencesRuntime)
        {
            return;
        }

        writer.Line();
        writer.Line("/// <summary>");
        writer.Line($"/// Loads the backbone's weights from a model file of {source}. Every key of the backbone's layers must be in the");
        writer.Line("/// file with its shape; the file's other layers (its head) are ignored, and this network's head keeps its weights.");
        writer.Line("/// The file is checked whole before any weight is copied.");
        writer.Line("/// </summary>");
        writer.Line($"/// <param name=\"path\">A model file saved from {backbone.ClassName} (a trainer's <c>best.safetensors</c>, or <c>ModelFile.Save</c>).</param>");
        writer.Line("/// <returns>The file's header: the source's input shape, statistics, class names and provenance.</returns>");
        writer.Line("/// <exception cref=\"global::DeclCnn.Runtime.Interchange.WeightFileException\">The file is damaged, not a model file, of another network, or its backbone's keys or shapes differ.</exception>");
        writer.Line($"public {ModelFileHeader} LoadBackbone(string path) =>");
        writer.Line($"    global::DeclCnn.Runtime.Transfer.BackboneWeights.Load(this, path, typeof({backbone.MetadataName}), BackboneLayers);");
        writer.Line();
        writer.Line("/// <summary>");
        writer.Line("/// Freezes the backbone: its parameters stop requiring gradients (a trainer created afterwards optimizes the head");
        writer.Line("/// only) and its batch norms stay in evaluation mode, their running statistics fixed. Undo with <c>Freezing.Unfreeze</c>.");
        writer.Line("/// </summary>");
        writer.Line("public void FreezeBackbone() => global::DeclCnn.Runtime.Transfer.Freezing.Freeze(this, BackboneLayers);");
    }
}
