using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using DeclCnn.Runtime.Data;

namespace DeclCnn.Runtime.Training;

/// <summary>
/// The per-class view of one evaluation, by class name: <c>per_class.csv</c> (each class's accuracy and image count)
/// and <c>confusion.csv</c> (the confusion matrix, a row per true class and a column per predicted class).
/// </summary>
public static class ClassReport
{
    /// <summary>The name of the per-class accuracy file.</summary>
    public const string PerClassFileName = "per_class.csv";

    /// <summary>The name of the confusion matrix file.</summary>
    public const string ConfusionFileName = "confusion.csv";

    /// <summary>
    /// Per-class accuracy as CSV: <c>class,accuracy,images</c>, one row per class; the accuracy is empty for a class
    /// without images.
    /// </summary>
    /// <param name="classNames">The class names, in label order.</param>
    /// <param name="metrics">The evaluation.</param>
    public static string PerClassCsv(IReadOnlyList<string> classNames, ClassificationMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        IReadOnlyList<string> names = Names(classNames, metrics);
        var csv = new StringBuilder("class,accuracy,images\n");
        for (int c = 0; c < names.Count; c++)
        {
            double accuracy = metrics.PerClassAccuracy[c];
            string value = double.IsNaN(accuracy) ? string.Empty : accuracy.ToString("R", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{Quote(names[c])},{value},{metrics.ConfusionMatrix[c].Sum()}\n");
        }

        return csv.ToString();
    }

    /// <summary>The confusion matrix as CSV: a header <c>true\predicted</c> and the class names, then a row of counts per true class.</summary>
    /// <param name="classNames">The class names, in label order.</param>
    /// <param name="metrics">The evaluation.</param>
    public static string ConfusionCsv(IReadOnlyList<string> classNames, ClassificationMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        IReadOnlyList<string> names = Names(classNames, metrics);
        var csv = new StringBuilder("true\\predicted");
        foreach (string name in names)
        {
            csv.Append(',').Append(Quote(name));
        }

        csv.Append('\n');
        for (int c = 0; c < names.Count; c++)
        {
            csv.Append(Quote(names[c])).Append(',').AppendJoin(',', metrics.ConfusionMatrix[c].Select(static n => n.ToString(CultureInfo.InvariantCulture))).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>Writes <c>per_class.csv</c> and <c>confusion.csv</c> into <paramref name="directory"/>, each atomically.</summary>
    /// <param name="directory">The folder, created if missing.</param>
    /// <param name="classNames">The class names, in label order.</param>
    /// <param name="metrics">The evaluation.</param>
    public static void Save(string directory, IReadOnlyList<string> classNames, ClassificationMetrics metrics)
    {
        Directory.CreateDirectory(directory);
        Write(Path.Combine(directory, PerClassFileName), PerClassCsv(classNames, metrics));
        Write(Path.Combine(directory, ConfusionFileName), ConfusionCsv(classNames, metrics));
    }

    private static IReadOnlyList<string> Names(IReadOnlyList<string> classNames, ClassificationMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count != metrics.PerClassAccuracy.Count)
        {
            throw new ArgumentException($"There are {classNames.Count} class names for {metrics.PerClassAccuracy.Count} classes.", nameof(classNames));
        }

        return classNames;
    }

    private static string Quote(string name) =>
        name.AsSpan().IndexOfAny(",\"\n\r") < 0 ? name : "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static void Write(string path, string text) => AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text)));
}
