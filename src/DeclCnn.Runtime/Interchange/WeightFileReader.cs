using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Interchange;

/// <summary>
/// Reads a weight file into a dictionary of CPU tensors, without touching any model. Every failure is a
/// <see cref="WeightFileException"/> that names the file and, when the file is of another format, that format.
/// </summary>
internal static class WeightFileReader
{
    /// <summary>Reads <paramref name="path"/> as <paramref name="format"/>; the tensors belong to the caller's dispose scope.</summary>
    public static Dictionary<string, Tensor> Read(string path, WeightFormat format) => Read(path, format, out _);

    /// <summary>
    /// As <see cref="Read(string, WeightFormat)"/>, with the file's metadata strings: a safetensors file's
    /// <c>__metadata__</c>; empty for the other formats, which have none.
    /// </summary>
    public static Dictionary<string, Tensor> Read(string path, WeightFormat format, out IReadOnlyDictionary<string, string> metadata)
    {
        CheckFormat(path, format);
        metadata = new Dictionary<string, string>();
        try
        {
            switch (format)
            {
                case WeightFormat.PyTorch:
                    return ReadPyTorch(path);
                case WeightFormat.Safetensors:
                    metadata = ReadSafetensorsHeader(path);
                    return new Dictionary<string, Tensor>(Safetensors.LoadStateDict(path), StringComparer.Ordinal);
                case WeightFormat.TorchSharp:
                    return ReadTorchSharp(path);
                default:
                    throw new ArgumentOutOfRangeException(nameof(format), format, null);
            }
        }
        catch (Exception e) when (e is not WeightFileException and not OutOfMemoryException)
        {
            throw Damaged(path, format, e);
        }
    }

    private static void CheckFormat(string path, WeightFormat format)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The weight file '{path}' does not exist.", path);
        }

        DetectedFormat detected = DetectedFormat.Of(path);
        if (detected.Format != format)
        {
            string advice = detected.Advice is { } text ? $"; {text}" : "";
            throw new WeightFileException(
                $"'{path}' is {detected.Description}, not {DetectedFormat.Describe(format)}{advice}.");
        }
    }

    // The readers (PyBridge's and TorchSharp's included) fail on damaged files with whatever their parsing hits: end
    // of stream, bad zip data, casts, JSON errors. The file is what the user must fix.
    private static WeightFileException Damaged(string path, WeightFormat format, Exception e) =>
        new($"'{path}' cannot be read as {DetectedFormat.Describe(format)}; it is damaged or truncated ({e.Message})", e);

    private static Dictionary<string, Tensor> ReadPyTorch(string path)
    {
        using var stream = File.OpenRead(path);
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true))
        {
            ZipArchiveEntry[] pickles = archive.Entries.Where(e => e.Name == "data.pkl").ToArray();
            if (pickles.Length != 1)
            {
                throw new WeightFileException(
                    $"'{path}' is a zip archive but not one torch.save wrote: it has {pickles.Length} data.pkl entries, not one.");
            }

            using var pickle = new MemoryStream();
            using (Stream entry = pickles[0].Open())
            {
                entry.CopyTo(pickle);
            }

            if (PickleGuard.FindDisallowedGlobal(pickle.GetBuffer().AsSpan(0, (int)pickle.Length)) is { } refused)
            {
                throw new WeightFileException(
                    $"'{path}' was refused: its pickle refers to {refused}, and a state dict holds only tensors and plain "
                    + "containers. Nothing was unpickled. Prefer .safetensors for files from sources you do not trust.");
            }
        }

        stream.Position = 0;
        Hashtable table = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true);
        var tensors = new Dictionary<string, Tensor>(table.Count, StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string key || entry.Value is not Tensor tensor)
            {
                throw new WeightFileException(
                    $"'{path}' is not a state dict: its entry {entry.Key} is a {entry.Value?.GetType().Name ?? "None"}, not a tensor.");
            }

            tensors.Add(key, tensor);
        }

        return tensors;
    }

    /// <summary>
    /// Reads the <c>__metadata__</c> strings of the safetensors file <paramref name="path"/> (empty when it has none)
    /// after the same checks as <see cref="Read(string, WeightFormat)"/>, without reading any tensor.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReadSafetensorsMetadata(string path)
    {
        CheckFormat(path, WeightFormat.Safetensors);
        try
        {
            return ReadSafetensorsHeader(path);
        }
        catch (Exception e) when (e is not WeightFileException and not OutOfMemoryException)
        {
            throw Damaged(path, WeightFormat.Safetensors, e);
        }
    }

    // PyBridge reads each tensor at the offsets the header gives and does not compare them with the file's length; a
    // truncated file would leave the last tensors partly unread, so the header is checked first. Returns the metadata.
    private static Dictionary<string, string> ReadSafetensorsHeader(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        long headerLength = checked((long)BitConverter.ToUInt64(prefix));
        byte[] header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataLength = stream.Length - 8 - headerLength;
        long described = 0;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty entry in JsonDocument.Parse(header).RootElement.EnumerateObject())
        {
            if (entry.Name != SafetensorsWriter.MetadataKey)
            {
                described = Math.Max(described, entry.Value.GetProperty("data_offsets")[1].GetInt64());
                continue;
            }

            foreach (JsonProperty item in entry.Value.EnumerateObject())
            {
                metadata[item.Name] = item.Value.ValueKind == JsonValueKind.String
                    ? item.Value.GetString()!
                    : throw new WeightFileException($"'{path}' is not a valid safetensors file: its metadata entry '{item.Name}' is not a string.");
            }
        }

        if (described > dataLength)
        {
            throw new WeightFileException(
                $"'{path}' is truncated: its header describes {described:N0} bytes of tensor data, the file holds {dataLength:N0}.");
        }

        return metadata;
    }

    private static Dictionary<string, Tensor> ReadTorchSharp(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        int count = reader.Read7BitEncodedInt();
        var tensors = new Dictionary<string, Tensor>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string key = reader.ReadString();
            tensors.Add(key, Tensor.Load(reader));
        }

        return tensors;
    }
}
