using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using DeclCnn.Runtime.Data;

namespace DeclCnn.Runtime.Training;

/// <summary>Everything recorded about one epoch.</summary>
/// <param name="Epoch">The epoch number, from 1.</param>
/// <param name="LearningRate">The learning rate of the epoch's last training step.</param>
/// <param name="Train">Metrics over the epoch's training batches, measured as they were trained on (dropout active, weights moving).</param>
/// <param name="Validation">Metrics on the validation set after the epoch, or null without one.</param>
/// <param name="GradientNorm">Mean global L2 norm of the gradients over the epoch's steps (before clipping), or null when not tracked.</param>
/// <param name="ImagesPerSecond">Training throughput: forward, backward and update; validation excluded.</param>
/// <param name="Seconds">Wall time of the epoch, validation included.</param>
/// <param name="Extra">Metrics added by callbacks (<see cref="Trainer.Log"/>), by name.</param>
public sealed record EpochRecord(
    int Epoch,
    double LearningRate,
    ClassificationMetrics Train,
    ClassificationMetrics? Validation,
    double? GradientNorm,
    double ImagesPerSecond,
    double Seconds,
    IReadOnlyDictionary<string, double> Extra)
{
    /// <summary>
    /// A metric by name: <c>train_loss</c>, <c>train_top1</c>, <c>train_top&lt;k&gt;</c> (e.g. <c>train_top5</c>, k being
    /// <see cref="ClassificationMetrics.K"/>, where there are more than k classes), <c>val_loss</c>, <c>val_top1</c>,
    /// <c>val_top&lt;k&gt;</c>, <c>lr</c>, <c>grad_norm</c>, or a name from <see cref="Extra"/>.
    /// </summary>
    /// <param name="metric">The metric's name.</param>
    /// <returns>Its value in this epoch.</returns>
    /// <exception cref="KeyNotFoundException">The metric is unknown or was not measured (e.g. <c>val_loss</c> without validation data).</exception>
    public double Get(string metric) => metric switch
    {
        "train_loss" => Train.Loss,
        "train_top1" => Train.Top1,
        "val_loss" => Validation?.Loss ?? throw NotMeasured(metric),
        "val_top1" => Validation?.Top1 ?? throw NotMeasured(metric),
        _ when metric == $"train_top{Train.K}" && Train.TopK is double trainTopK => trainTopK,
        _ when Validation is { TopK: double validationTopK } && metric == $"val_top{Validation.K}" => validationTopK,
        "lr" => LearningRate,
        "grad_norm" => GradientNorm ?? throw NotMeasured(metric),
        _ => Extra.TryGetValue(metric, out double value) ? value : throw NotMeasured(metric),
    };

    /// <summary>
    /// One log line, e.g. <c>epoch 3: loss 0.3120 (top-1 88.20%), val loss 0.2981 (top-1 89.10%, top-5 99.60%), lr 0.001, 5,432 images/s, 14.2 s</c>;
    /// top-k only where there are more than k classes.
    /// </summary>
    public override string ToString()
    {
        var line = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"epoch {Epoch}: loss {Train.Loss:0.0000} (top-1 {Train.Top1:P2})"));
        if (Validation is not null)
        {
            line.Append(CultureInfo.InvariantCulture, $", val loss {Validation.Loss:0.0000} (top-1 {Validation.Top1:P2}");
            if (Validation.TopK is double topK)
            {
                line.Append(CultureInfo.InvariantCulture, $", top-{Validation.K} {topK:P2}");
            }

            line.Append(')');
        }

        line.Append(CultureInfo.InvariantCulture, $", lr {LearningRate:G4}");
        if (GradientNorm is double norm)
        {
            line.Append(CultureInfo.InvariantCulture, $", grad norm {norm:0.###}");
        }

        line.Append(CultureInfo.InvariantCulture, $", {ImagesPerSecond:N0} images/s, {Seconds:0.0} s");
        return line.ToString();
    }

    private static KeyNotFoundException NotMeasured(string metric) =>
        new($"The metric '{metric}' was not measured. Known metrics: train_loss, train_top1, train_top<k> (with more than k classes), val_loss, val_top1, val_top<k> (with validation data), lr, grad_norm (when tracked), and names logged by callbacks.");
}

/// <summary>The per-epoch records of a run, in order, with CSV and JSON export.</summary>
public sealed class TrainingHistory
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The name of the CSV file <see cref="Save"/> writes.</summary>
    public const string CsvFileName = "history.csv";

    /// <summary>The name of the JSON file <see cref="Save"/> writes.</summary>
    public const string JsonFileName = "history.json";

    private readonly List<EpochRecord> epochs = [];

    /// <summary>Creates an empty history.</summary>
    public TrainingHistory()
    {
    }

    /// <summary>Creates a history holding <paramref name="records"/>.</summary>
    /// <param name="records">The epochs, in order.</param>
    public TrainingHistory(IEnumerable<EpochRecord> records) => epochs.AddRange(records);

    /// <summary>The records, in epoch order.</summary>
    public IReadOnlyList<EpochRecord> Epochs => epochs;

    /// <summary>The last record, or null before the first epoch ends.</summary>
    public EpochRecord? Last => epochs.Count == 0 ? null : epochs[^1];

    /// <summary>Appends the record of a finished epoch.</summary>
    /// <param name="record">The record.</param>
    public void Add(EpochRecord record) => epochs.Add(record);

    /// <summary>
    /// The history as CSV: a header, then one row per epoch with epoch, lr, train and validation loss/top-1/top-k (top-k
    /// only where there are more than k classes),
    /// grad_norm, images_per_s, seconds, one <c>val_class_&lt;i&gt;</c> column of per-class validation accuracy per class,
    /// and one column per extra metric. Missing values are empty; numbers use the invariant culture.
    /// </summary>
    /// <returns>The CSV text.</returns>
    public string ToCsv()
    {
        int classes = epochs.Select(e => e.Validation?.PerClassAccuracy.Count ?? 0).DefaultIfEmpty(0).Max();
        string[] extras = epochs.SelectMany(e => e.Extra.Keys).Distinct(StringComparer.Ordinal).ToArray();
        int? k = epochs.FirstOrDefault(e => e.Train.TopK is not null)?.Train.K;
        var csv = new StringBuilder(k is null
            ? "epoch,lr,train_loss,train_top1,val_loss,val_top1,grad_norm,images_per_s,seconds"
            : $"epoch,lr,train_loss,train_top1,train_top{k},val_loss,val_top1,val_top{k},grad_norm,images_per_s,seconds");
        for (int c = 0; c < classes; c++)
        {
            csv.Append(CultureInfo.InvariantCulture, $",val_class_{c}");
        }

        foreach (string extra in extras)
        {
            csv.Append(',').Append(extra);
        }

        csv.Append('\n');
        foreach (EpochRecord e in epochs)
        {
            var cells = new List<string> { Cell(e.Epoch), Cell(e.LearningRate), Cell(e.Train.Loss), Cell(e.Train.Top1) };
            if (k is not null)
            {
                cells.Add(Cell(e.Train.TopK));
            }

            cells.AddRange([Cell(e.Validation?.Loss), Cell(e.Validation?.Top1)]);
            if (k is not null)
            {
                cells.Add(Cell(e.Validation?.TopK));
            }

            cells.AddRange([Cell(e.GradientNorm), Cell(e.ImagesPerSecond), Cell(e.Seconds)]);
            for (int c = 0; c < classes; c++)
            {
                cells.Add(Cell(e.Validation is { } v && c < v.PerClassAccuracy.Count ? v.PerClassAccuracy[c] : null));
            }

            cells.AddRange(extras.Select(name => Cell(e.Extra.TryGetValue(name, out double value) ? value : null)));
            csv.AppendJoin(',', cells).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>The history as indented JSON: an array of records, confusion matrices included.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(epochs, JsonOptions);

    /// <summary>Reads a history written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The history.</returns>
    /// <exception cref="JsonException">The text is not a history.</exception>
    public static TrainingHistory FromJson(string json) =>
        new(JsonSerializer.Deserialize<List<EpochRecord>>(json, JsonOptions) ?? throw new JsonException("The history JSON is null."));

    /// <summary>Writes <c>history.csv</c> and <c>history.json</c> into <paramref name="directory"/>, each atomically.</summary>
    /// <param name="directory">The folder, created if missing.</param>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        WriteText(Path.Combine(directory, CsvFileName), ToCsv());
        WriteText(Path.Combine(directory, JsonFileName), ToJson());
    }

    private static void WriteText(string path, string text) =>
        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text)));

    private static string Cell(double? value) => value switch
    {
        null => string.Empty,
        double v when double.IsNaN(v) => string.Empty,
        double v => v.ToString("R", CultureInfo.InvariantCulture),
    };
}
