using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Interchange;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Inference;

/// <summary>
/// A self-describing model file: a safetensors file holding a module's state dict, whose <c>__metadata__</c> header
/// also names the declaration, the input shape, the normalization statistics, the class names and the provenance
/// (docs/inference.md lists the keys). Any safetensors reader opens it, PyTorch's included; DeclCnn checks it against
/// the module before loading.
/// </summary>
public static class ModelFile
{
    /// <summary>The version of the metadata layout this code writes and reads.</summary>
    public const int FormatVersion = ModelMetadata.Version;

    /// <summary>safetensors' conventional <c>format</c> entry, written beside DeclCnn's own (<see cref="ModelMetadata"/>).</summary>
    private const string FormatKey = "format";

    /// <summary>
    /// Writes <paramref name="module"/>'s parameters and buffers with <paramref name="info"/> to <paramref name="path"/>,
    /// atomically (a temporary file beside it, renamed over it). Tensors on another device are copied to the CPU.
    /// </summary>
    /// <param name="module">The trained module; its .NET type is recorded as the declaration.</param>
    /// <param name="path">The file to write, conventionally <c>*.safetensors</c>; an existing file is replaced.</param>
    /// <param name="info">Input shape, statistics, class names and provenance.</param>
    /// <exception cref="WeightFileException">The file cannot be written (no such folder, no permission, disk full).</exception>
    public static void Save(nn.Module module, string path, ModelInfo info)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(info);
        Dictionary<string, string> metadata = ModelMetadata.Write(module.GetType().FullName!, info);
        metadata[FormatKey] = "pt";
        using var scope = NewDisposeScope();
        try
        {
            AtomicFile.Write(path, stream => SafetensorsWriter.Write(stream, module.state_dict(), metadata));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WeightFileException($"The model file of {module.GetName()} cannot be written to '{path}': {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads what the model file <paramref name="path"/> says about its weights, without loading them: a safetensors
    /// model file's <c>__metadata__</c>, or, for a <c>.onnx</c> file, the ONNX model's <c>metadata_props</c>.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="WeightFileException">The file is not a safetensors file (or ONNX model), is damaged or truncated, or has no (or broken) DeclCnn metadata.</exception>
    public static ModelFileHeader ReadHeader(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!Path.GetExtension(path).Equals(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            return FromMetadata(path, WeightFileReader.ReadSafetensorsMetadata(path));
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"ONNX model file '{path}' does not exist.", path);
        }

        Dictionary<string, string> metadata;
        try
        {
            using FileStream stream = File.OpenRead(path);
            metadata = global::Onnx.ModelProto.Parser.ParseFrom(stream).MetadataProps.ToDictionary(static p => p.Key, static p => p.Value, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is Google.Protobuf.InvalidProtocolBufferException or IOException or ArgumentException)
        {
            throw new WeightFileException($"'{path}' cannot be read as an ONNX model; it is damaged or truncated: {e.Message}", e);
        }

        return ModelMetadata.IsPresent(metadata)
            ? ModelMetadata.Read(path, metadata)
            : throw new WeightFileException($"'{path}' is an ONNX model without DeclCnn's metadata ({ModelMetadata.Keys.ModelType} and the rest).");
    }

    /// <summary>
    /// Loads the model file <paramref name="path"/> into <paramref name="module"/>. The whole file is read and checked
    /// first: it must have been saved from the same declaration (.NET type), with every key, shape and dtype equal.
    /// On any mismatch nothing is copied and the message names both declarations and the first differing key with
    /// both shapes.
    /// </summary>
    /// <param name="module">A module of the declaration the file was saved from; it keeps its device.</param>
    /// <param name="path">The model file.</param>
    /// <returns>The file's header: the declaration's name, input shape, statistics, class names and provenance.</returns>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="WeightFileException">The file is damaged, truncated, not a model file, or does not fit <paramref name="module"/>.</exception>
    public static ModelFileHeader Load(nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(path);
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> file = WeightFileReader.Read(path, WeightFormat.Safetensors, out IReadOnlyDictionary<string, string> metadata);
        ModelFileHeader header = FromMetadata(path, metadata);
        var (pairs, _, problems) = ModuleWeights.Match(file, module.state_dict(), new WeightLoadOptions());
        string expected = module.GetType().FullName!;
        if (header.ModelType != expected || problems.Count > 0)
        {
            string summary = $"The model file holds a {header.ModelType} (input [{string.Join(", ", header.Info.InputShape)}]) and does not load into a {expected}";
            throw problems.Count > 0
                ? new WeightFileException(path, $"{summary}: the first differing key is {problems[0]}; nothing was loaded", problems)
                : new WeightFileException($"{summary}: their keys and shapes agree, but the file names another declaration; nothing was loaded ('{path}').");
        }

        ModuleWeights.Copy(pairs);
        return header;
    }

    internal static ModelFileHeader FromMetadata(string path, IReadOnlyDictionary<string, string> metadata) =>
        ModelMetadata.IsPresent(metadata)
            ? ModelMetadata.Read(path, metadata)
            : throw new WeightFileException(
                $"'{path}' is a safetensors file without DeclCnn's model metadata ({ModelMetadata.Keys.ModelType} and the rest): it holds weights only; "
                + $"load them with {nameof(ModuleWeights.LoadWeights)}(path, {nameof(WeightFormat)}.{nameof(WeightFormat.Safetensors)}).");
}
