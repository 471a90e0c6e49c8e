using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Inference;
using DeclCnn.Runtime.Interchange;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Transfer;

/// <summary>
/// Loads a backbone's weights from its source network's model file into a network declared with
/// <c>[Backbone&lt;TNetwork&gt;]</c>; the generated <c>LoadBackbone(path)</c> calls it.
/// </summary>
public static class BackboneWeights
{
    /// <summary>
    /// Copies the weights of <paramref name="layers"/> from the model file <paramref name="path"/>, saved from a
    /// <paramref name="source"/> network, into <paramref name="module"/>. The file must name <paramref name="source"/> as
    /// its declaration, and every key of those layers must be in it with the module's shape and dtype; the file's other
    /// layers are ignored, and the module's other layers keep their weights. Nothing is copied when a check fails.
    /// </summary>
    /// <param name="module">The network with the backbone.</param>
    /// <param name="path">A model file of <paramref name="source"/>.</param>
    /// <param name="source">The backbone's declared network.</param>
    /// <param name="layers">The backbone's layers, named as in both networks.</param>
    /// <returns>The file's header.</returns>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="WeightFileException">The file is damaged, not a model file, of another network, or a backbone key or shape differs.</exception>
    public static ModelFileHeader Load(nn.Module module, string path, Type source, IReadOnlyCollection<string> layers)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(layers);
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> file = WeightFileReader.Read(path, WeightFormat.Safetensors, out IReadOnlyDictionary<string, string> metadata);
        ModelFileHeader header = ModelFile.FromMetadata(path, metadata);
        if (header.ModelType != source.FullName)
        {
            throw new WeightFileException(
                $"The model file holds a {header.ModelType}, but the backbone of {module.GetType().FullName} is a {source.FullName}; nothing was loaded ('{path}').");
        }

        // Strict within the backbone: every key of its layers on both sides; the rest of either side is not compared.
        bool InBackbone(string key) => layers.Contains(key.Split('.')[0]);
        var (pairs, _, problems) = ModuleWeights.Match(
            file.Where(e => InBackbone(e.Key)).ToDictionary(),
            module.state_dict().Where(e => InBackbone(e.Key)).ToDictionary(),
            new WeightLoadOptions());
        if (problems.Count > 0)
        {
            throw new WeightFileException(
                path, $"The backbone of {module.GetType().FullName} does not load from this {header.ModelType} file: the first differing key is {problems[0]}; nothing was loaded", problems);
        }

        ModuleWeights.Copy(pairs);
        return header;
    }
}
