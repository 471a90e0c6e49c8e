using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Interchange;

/// <summary>
/// Loads and saves a module's state dict (parameters and buffers, by name) as PyTorch <c>.pth</c>, safetensors or
/// TorchSharp files, so weights move between a DeclCnn network and the equivalent PyTorch model. Loading checks the
/// whole file against the model before it copies a single tensor: on any error the model is unchanged.
/// </summary>
public static class ModuleWeights
{
    /// <summary>
    /// Copies the tensors of the weight file <paramref name="path"/> into <paramref name="module"/>'s parameters and
    /// buffers, matched by key. Shapes and dtypes must be equal (a float64 file does not load into a float32 model:
    /// convert on the side that wrote it, e.g. <c>model.float()</c> in PyTorch, so no precision is lost silently).
    /// </summary>
    /// <param name="module">The model; it keeps its device, and is unchanged when an exception is thrown.</param>
    /// <param name="path">The weight file.</param>
    /// <param name="format">The file's format; a file of another format is refused with a message naming it.</param>
    /// <param name="options">Strictness, skipped keys and renaming; strict, with nothing skipped or renamed, when null.</param>
    /// <returns>The keys copied, and those left alone.</returns>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="WeightFileException">
    /// The file is of another format, damaged or truncated, not a plain state dict, or does not fit the model; the
    /// message lists every mismatched key with both shapes or dtypes.
    /// </exception>
    public static WeightLoadResult LoadWeights(this nn.Module module, string path, WeightFormat format, WeightLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(path);
        options ??= new WeightLoadOptions();

        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> file = WeightFileReader.Read(path, format);
        Dictionary<string, Tensor> model = module.state_dict();
        var (pairs, result, problems) = Match(file, model, options);
        if (problems.Count > 0)
        {
            throw new WeightFileException(path, $"The weight file does not fit {module.GetName()}; nothing was loaded", problems);
        }

        Copy(pairs);
        return result;
    }

    /// <summary>
    /// Writes <paramref name="module"/>'s parameters and buffers to <paramref name="path"/> in <paramref name="format"/>,
    /// atomically: to a temporary file beside it, then renamed over it, so a failed save leaves no partial file.
    /// </summary>
    /// <param name="module">The model; for .pth and safetensors files, tensors on another device are copied to the CPU for writing.</param>
    /// <param name="path">The file to write; an existing file is replaced.</param>
    /// <param name="format">The format to write.</param>
    /// <exception cref="WeightFileException">The file cannot be written (no such folder, no permission, disk full).</exception>
    public static void SaveWeights(this nn.Module module, string path, WeightFormat format)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(path);
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, null);
        }

        using var scope = NewDisposeScope();
        try
        {
            AtomicFile.Write(path, stream =>
            {
                switch (format)
                {
                    case WeightFormat.PyTorch:
                        PyTorchPickler.PickleStateDict(stream, module.state_dict(), leaveOpen: true);
                        break;
                    case WeightFormat.Safetensors:
                        SafetensorsWriter.Write(stream, module.state_dict(), metadata: null);
                        break;
                    default:
                        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
                        {
                            module.save(writer);
                        }

                        break;
                }
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WeightFileException($"The weights of {module.GetName()} cannot be written to '{path}': {e.Message}", e);
        }
    }

    /// <summary>Copies each matched file tensor into its model tensor; call only when matching found no problem.</summary>
    internal static void Copy(IEnumerable<(Tensor Target, Tensor Source)> pairs)
    {
        using (no_grad())
        {
            foreach (var (target, source) in pairs)
            {
                target.copy_(source);
            }
        }
    }

    /// <summary>
    /// Pairs the file's tensors with the model's by key, after renaming and skipping, without copying anything; the
    /// problems are in the model's key order, then the file's keys the model lacks.
    /// </summary>
    internal static (List<(Tensor Target, Tensor Source)> Pairs, WeightLoadResult Result, List<string> Problems) Match(
        Dictionary<string, Tensor> file, Dictionary<string, Tensor> model, WeightLoadOptions options)
    {
        var problems = new List<string>();
        var skipped = new List<string>();
        var renamed = new Dictionary<string, (string FileKey, Tensor Tensor)>(StringComparer.Ordinal);
        foreach (var (fileKey, tensor) in file)
        {
            string key = options.Rename?.Invoke(fileKey) ?? fileKey;
            if (IsSkipped(key, options.Skip))
            {
                skipped.Add(key);
            }
            else if (!renamed.TryAdd(key, (fileKey, tensor)))
            {
                problems.Add($"{key}: both '{renamed[key].FileKey}' and '{fileKey}' in the file are renamed to it");
            }
        }

        var pairs = new List<(Tensor, Tensor)>();
        var loaded = new List<string>();
        var missing = new List<string>();
        foreach (var (key, target) in model)
        {
            if (IsSkipped(key, options.Skip))
            {
                skipped.Add(key);
                continue;
            }

            if (!renamed.Remove(key, out var source))
            {
                missing.Add(key);
                if (options.Strict)
                {
                    problems.Add($"{key}: in the model {Describe(target)}, missing from the file");
                }

                continue;
            }

            string name = source.FileKey == key ? key : $"{key} (file key '{source.FileKey}')";
            if (!target.shape.SequenceEqual(source.Tensor.shape))
            {
                problems.Add($"{name}: file {Describe(source.Tensor)}, model {Describe(target)}");
            }
            else if (target.dtype != source.Tensor.dtype)
            {
                problems.Add($"{name}: file {Describe(source.Tensor)}, model {Describe(target)}; dtypes are not converted");
            }
            else
            {
                pairs.Add((target, source.Tensor));
                loaded.Add(key);
            }
        }

        var unexpected = renamed.Keys.ToList();
        if (options.Strict)
        {
            problems.AddRange(renamed.Select(static entry =>
                $"{entry.Key}: in the file {Describe(entry.Value.Tensor)}, not in the model"));
        }

        return (pairs, new WeightLoadResult(loaded, missing, unexpected, skipped.Distinct().ToList()), problems);
    }

    private static bool IsSkipped(string key, IReadOnlyCollection<string> skip) =>
        skip.Any(entry => key == entry || (key.Length > entry.Length && key.StartsWith(entry, StringComparison.Ordinal) && key[entry.Length] == '.'));

    /// <summary>A tensor as the problem lines show it, e.g. <c>Float32 [32, 1, 3, 3]</c>.</summary>
    internal static string Describe(Tensor tensor) => $"{tensor.dtype} [{string.Join(", ", tensor.shape)}]";
}
