using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Interchange;

namespace DeclCnn.Runtime.Inference;

/// <summary>
/// The string-to-string entries that make a weight file self-describing: the declaration, the input shape, the
/// statistics, the class names and the provenance. One definition for both homes: a model file's safetensors
/// <c>__metadata__</c> (<see cref="ModelFile"/>) and an ONNX model's <c>metadata_props</c> (<see cref="Interchange.Onnx.OnnxGraphBuilder"/>).
/// docs/inference.md lists the keys.
/// </summary>
internal static class ModelMetadata
{
    /// <summary>The version of the layout of these entries.</summary>
    public const int Version = 1;

    /// <summary>The keys, all prefixed with <c>declcnn.</c>.</summary>
    public static class Keys
    {
        public const string Version = "declcnn.version";
        public const string ModelType = "declcnn.model_type";
        public const string InputShape = "declcnn.input_shape";
        public const string ClassNames = "declcnn.class_names";
        public const string Mean = "declcnn.mean";
        public const string Std = "declcnn.std";
        public const string Dataset = "declcnn.dataset";
        public const string Epochs = "declcnn.epochs";
        public const string Metric = "declcnn.metric";
        public const string MetricValue = "declcnn.metric_value";
    }

    /// <summary>The entries describing weights of the declaration <paramref name="modelType"/> (a full .NET type name) with <paramref name="info"/>.</summary>
    public static Dictionary<string, string> Write(string modelType, ModelInfo info)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Keys.Version] = Version.ToString(CultureInfo.InvariantCulture),
            [Keys.ModelType] = modelType,
            [Keys.InputShape] = JsonSerializer.Serialize(info.InputShape),
            [Keys.ClassNames] = JsonSerializer.Serialize(info.ClassNames),
            [Keys.Mean] = JsonSerializer.Serialize(info.Normalization.Mean),
            [Keys.Std] = JsonSerializer.Serialize(info.Normalization.Std),
        };
        if (info.Provenance is { } provenance)
        {
            void Add(string key, string? value)
            {
                if (value is not null)
                {
                    entries[key] = value;
                }
            }

            Add(Keys.Dataset, provenance.Dataset);
            Add(Keys.Epochs, provenance.Epochs?.ToString(CultureInfo.InvariantCulture));
            Add(Keys.Metric, provenance.Metric);
            Add(Keys.MetricValue, provenance.MetricValue?.ToString("R", CultureInfo.InvariantCulture));
        }

        return entries;
    }

    /// <summary>Whether <paramref name="entries"/> hold DeclCnn's metadata at all.</summary>
    public static bool IsPresent(IReadOnlyDictionary<string, string> entries) => entries.ContainsKey(Keys.ModelType);

    /// <summary>The header the entries of <paramref name="path"/> describe, which must be present (<see cref="IsPresent"/>).</summary>
    /// <exception cref="WeightFileException">The entries are of another version, or one is missing or damaged; the message names the file.</exception>
    public static ModelFileHeader Read(string path, IReadOnlyDictionary<string, string> entries)
    {
        string modelType = entries[Keys.ModelType];
        string current = Version.ToString(CultureInfo.InvariantCulture);
        if (Value(Keys.Version) != current)
        {
            throw new WeightFileException($"'{path}' holds version {Value(Keys.Version)} DeclCnn metadata; this DeclCnn reads version {current}.");
        }

        try
        {
            var info = new ModelInfo(
                Parse<long[]>(Keys.InputShape),
                Parse<string[]>(Keys.ClassNames),
                new ChannelStatistics(Parse<float[]>(Keys.Mean), Parse<float[]>(Keys.Std)));
            bool any = entries.ContainsKey(Keys.Dataset) || entries.ContainsKey(Keys.Epochs) || entries.ContainsKey(Keys.Metric) || entries.ContainsKey(Keys.MetricValue);
            return new ModelFileHeader(modelType, any
                ? info with
                {
                    Provenance = new ModelProvenance
                    {
                        Dataset = entries.GetValueOrDefault(Keys.Dataset),
                        Epochs = entries.TryGetValue(Keys.Epochs, out string? epochs) ? int.Parse(epochs, CultureInfo.InvariantCulture) : null,
                        Metric = entries.GetValueOrDefault(Keys.Metric),
                        MetricValue = entries.TryGetValue(Keys.MetricValue, out string? value) ? double.Parse(value, CultureInfo.InvariantCulture) : null,
                    },
                }
                : info);
        }
        catch (Exception e) when (e is JsonException or FormatException or OverflowException or ArgumentException)
        {
            throw new WeightFileException($"'{path}' has damaged DeclCnn metadata: {e.Message}", e);
        }

        string Value(string key) => entries.TryGetValue(key, out string? text) ? text : "(none)";

        T Parse<T>(string key)
        {
            if (!entries.TryGetValue(key, out string? text))
            {
                throw new FormatException($"the entry {key} is missing");
            }

            return JsonSerializer.Deserialize<T>(text) ?? throw new FormatException($"the entry {key} is null");
        }
    }
}
