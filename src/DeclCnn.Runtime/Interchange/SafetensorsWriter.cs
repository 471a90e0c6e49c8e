using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Interchange;

/// <summary>
/// Writes tensors as a safetensors file: an 8-byte little-endian header length, a UTF-8 JSON header (each tensor's
/// dtype, shape and byte range, and an optional <c>__metadata__</c> object of strings), then the raw little-endian
/// tensor data in header order.
/// </summary>
/// <remarks>
/// Written here rather than by TorchSharp.PyBridge, whose writer takes no metadata and records the header's length in
/// characters rather than bytes (wrong for non-ASCII keys). The header is padded with spaces to a multiple of 8 bytes,
/// as the reference implementation does, so the tensor data stays aligned.
/// </remarks>
internal static class SafetensorsWriter
{
    /// <summary>The header key of the string-to-string metadata, as the format defines it.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Writes <paramref name="tensors"/> and <paramref name="metadata"/> to <paramref name="stream"/>; tensors on another device are copied to the CPU.</summary>
    public static void Write(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            header[MetadataKey] = new JsonObject(metadata.Select(static entry => KeyValuePair.Create(entry.Key, (JsonNode?)entry.Value)));
        }

        var data = new List<Tensor>(tensors.Count);
        long offset = 0;
        foreach (var (key, tensor) in tensors)
        {
            Tensor contiguous = tensor.cpu().contiguous();
            long length = contiguous.NumberOfElements * contiguous.ElementSize;
            header[key] = new JsonObject
            {
                ["dtype"] = DataType(tensor.dtype, key),
                ["shape"] = new JsonArray(tensor.shape.Select(static size => (JsonNode)size).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + length),
            };
            data.Add(contiguous);
            offset += length;
        }

        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padding = (8 - (json.Length % 8)) % 8;
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)(json.Length + padding));
        stream.Write(prefix);
        stream.Write(json);
        stream.Write(Enumerable.Repeat((byte)' ', padding).ToArray());
        foreach (Tensor tensor in data)
        {
            stream.Write(tensor.bytes);
        }
    }

    private static string DataType(ScalarType dtype, string key) => dtype switch
    {
        ScalarType.Float64 => "F64",
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"{key} is a {dtype} tensor, which safetensors files do not hold."),
    };
}
