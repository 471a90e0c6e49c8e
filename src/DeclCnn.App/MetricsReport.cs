using System;
using System.Globalization;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Training;

namespace DeclCnn.App;

/// <summary>Writes evaluation metrics for a terminal: loss and accuracy, per-class accuracy by class name, and the confusion matrix.</summary>
internal static class MetricsReport
{
    public static void Write(TextWriter output, DatasetInfo info, ClassificationMetrics metrics)
    {
        int classes = info.ClassNames.Count;
        string topK = metrics.TopK is double value ? $", top-{metrics.K} {value.ToString("P2", CultureInfo.InvariantCulture)}" : string.Empty;
        output.WriteLine($"{info.Name} test set, {metrics.Images:N0} images: loss {metrics.Loss:0.0000}, top-1 {metrics.Top1.ToString("P2", CultureInfo.InvariantCulture)}{topK}");
        output.WriteLine();

        int width = Math.Max(5, info.ClassNames.Max(static n => n.Length));
        output.WriteLine($"{"class".PadRight(width)}  accuracy");
        for (int c = 0; c < classes; c++)
        {
            double accuracy = metrics.PerClassAccuracy[c];
            output.WriteLine($"{info.ClassNames[c].PadRight(width)}  {(double.IsNaN(accuracy) ? "no images" : accuracy.ToString("P2", CultureInfo.InvariantCulture)),9}");
        }

        output.WriteLine();
        output.WriteLine("Confusion matrix (rows: true class, columns: predicted class, in the order above):");
        int cell = Math.Max(5, metrics.ConfusionMatrix.SelectMany(static r => r).Max().ToString(CultureInfo.InvariantCulture).Length + 1);
        for (int c = 0; c < classes; c++)
        {
            output.WriteLine($"{info.ClassNames[c].PadRight(width)} " + string.Concat(metrics.ConfusionMatrix[c].Select(n => n.ToString(CultureInfo.InvariantCulture).PadLeft(cell))));
        }
    }
}
