using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Data.Augmentation;
using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Training.Reporting;

/// <summary>What a <see cref="PredictionGrid"/> shows.</summary>
/// <param name="Path">The PNG file written.</param>
/// <param name="Indices">The dataset indices of the images, in grid order (row by row).</param>
/// <param name="TrueLabels">Their labels.</param>
/// <param name="PredictedLabels">The model's highest-scoring class for each.</param>
public sealed record PredictionGridResult(string Path, IReadOnlyList<long> Indices, IReadOnlyList<int> TrueLabels, IReadOnlyList<int> PredictedLabels)
{
    /// <summary>The fraction of the shown images classified correctly.</summary>
    public double Accuracy => TrueLabels.Count == 0 ? double.NaN : TrueLabels.Zip(PredictedLabels).Count(p => p.First == p.Second) / (double)TrueLabels.Count;
}

/// <summary>
/// A PNG grid of dataset images, each captioned with the model's prediction — green when right, red when wrong, with the
/// true class below a wrong one. Drawn with SkiaSharp (which ScottPlot brings, native Linux library included).
/// </summary>
public static class PredictionGrid
{
    private const int CaptionHeight = 30;
    private const int Padding = 6;

    /// <summary>Classifies the first <paramref name="count"/> images of <paramref name="dataset"/> and writes the grid atomically.</summary>
    /// <param name="model">The classifier; it is put in evaluation mode and run without gradients on its own device.</param>
    /// <param name="dataset">The images (e.g. the test set); its class names caption the grid.</param>
    /// <param name="path">The PNG file; its folder is created if missing.</param>
    /// <param name="count">How many images, from the start of the dataset. Default: 32.</param>
    /// <param name="columns">Images per row. Default: 8.</param>
    /// <param name="statistics">The normalization the model was trained with; null means the dataset's (<see cref="DatasetInfo.GetChannelStatistics"/>), as <see cref="BatchLoader.ForEvaluation"/> uses.</param>
    /// <param name="scale">Each pixel is drawn as a <paramref name="scale"/> x <paramref name="scale"/> square. Default: 3.</param>
    /// <returns>The images shown and the predictions.</returns>
    public static PredictionGridResult Save(
        nn.Module<Tensor, Tensor> model,
        ImageDataset dataset,
        string path,
        int count = 32,
        int columns = 8,
        ChannelStatistics? statistics = null,
        int scale = 3)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        count = (int)Math.Min(count, dataset.Count);
        long[] indices = Enumerable.Range(0, count).Select(i => (long)i).ToArray();

        int channels = (int)dataset.Images.shape[1];
        int height = (int)dataset.Images.shape[2];
        int width = (int)dataset.Images.shape[3];
        byte[] pixels;
        int[] labels;
        int[] predicted;
        using (DisposeScope scope = NewDisposeScope())
        {
            Tensor index = tensor(indices, device: dataset.Images.device);
            Tensor raw = dataset.Images.index_select(0, index).cpu();
            pixels = raw.contiguous().bytes.ToArray();
            labels = dataset.Labels.index_select(0, index).cpu().to_type(ScalarType.Int32).data<int>().ToArray();

            Device device = model.parameters().FirstOrDefault()?.device ?? CPU;
            model.eval();
            using IDisposable noGrad = no_grad();
            Tensor input = new Normalize(statistics ?? dataset.Info.GetChannelStatistics()).Apply(raw.to(device).to_type(ScalarType.Float32).div_(255f));
            predicted = model.call(input).argmax(1).cpu().to_type(ScalarType.Int32).data<int>().ToArray();
        }

        byte[] png = Render(pixels, channels, height, width, labels, predicted, dataset.Info.ClassNames, columns, scale);
        string? folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        AtomicFile.Write(path, stream => stream.Write(png));
        return new PredictionGridResult(path, indices, labels, predicted);
    }

    private static byte[] Render(byte[] pixels, int channels, int height, int width, int[] labels, int[] predicted, IReadOnlyList<string> classNames, int columns, int scale)
    {
        int count = labels.Length;
        columns = Math.Min(columns, count);
        int rows = (count + columns - 1) / columns;
        int cellWidth = Math.Max(width * scale, 96) + Padding;
        int cellHeight = (height * scale) + CaptionHeight + Padding;
        using var surface = SKSurface.Create(new SKImageInfo(columns * cellWidth, rows * cellHeight, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException("SkiaSharp could not create a drawing surface.");
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 11);
        using var right = new SKPaint { Color = new SKColor(0, 128, 0), IsAntialias = true };
        using var wrong = new SKPaint { Color = new SKColor(200, 0, 0), IsAntialias = true };
        using var note = new SKPaint { Color = new SKColor(90, 90, 90), IsAntialias = true };
        int plane = height * width;
        for (int i = 0; i < count; i++)
        {
            using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
            int offset = i * channels * plane;
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    int p = offset + (y * width) + x;
                    byte r = pixels[p];
                    byte g = channels >= 3 ? pixels[p + plane] : r;
                    byte b = channels >= 3 ? pixels[p + (2 * plane)] : r;
                    bitmap.SetPixel(x, y, new SKColor(r, g, b));
                }
            }

            using SKImage image = SKImage.FromBitmap(bitmap);
            float left = (i % columns * cellWidth) + (Padding / 2f);
            float top = (i / columns * cellHeight) + (Padding / 2f);
            float imageLeft = left + ((cellWidth - Padding - (width * scale)) / 2f);
            canvas.DrawImage(image, SKRect.Create(imageLeft, top, width * scale, height * scale), new SKSamplingOptions(SKFilterMode.Nearest));
            bool correct = labels[i] == predicted[i];
            float centre = left + ((cellWidth - Padding) / 2f);
            float baseline = top + (height * scale) + 12;
            canvas.DrawText(Name(classNames, predicted[i]), centre, baseline, SKTextAlign.Center, font, correct ? right : wrong);
            if (!correct)
            {
                canvas.DrawText($"true: {Name(classNames, labels[i])}", centre, baseline + 13, SKTextAlign.Center, font, note);
            }
        }

        using SKImage snapshot = surface.Snapshot();
        using SKData data = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static string Name(IReadOnlyList<string> classNames, int label) =>
        label >= 0 && label < classNames.Count ? classNames[label] : label.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Writes a <see cref="PredictionGrid"/> of a dataset's first images after the fit (with the final weights, or the best ones after early stopping).</summary>
public sealed class PredictionGridCallback : TrainerCallback
{
    private readonly ImageDataset dataset;
    private readonly int count;
    private readonly ChannelStatistics? statistics;

    /// <summary>Creates a callback that writes <paramref name="path"/> from the first <paramref name="count"/> images of <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The images, e.g. the test set; the caller keeps ownership.</param>
    /// <param name="path">The PNG file.</param>
    /// <param name="count">How many images. Default: 32.</param>
    /// <param name="statistics">The training normalization; null means the dataset's.</param>
    public PredictionGridCallback(ImageDataset dataset, string path, int count = 32, ChannelStatistics? statistics = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        this.dataset = dataset;
        this.count = count;
        this.statistics = statistics;
        Path = path;
    }

    /// <summary>The PNG file.</summary>
    public string Path { get; }

    /// <summary>What the grid showed, after the fit.</summary>
    public PredictionGridResult? Result { get; private set; }

    /// <inheritdoc/>
    public override int Order => Orders.Reporting;

    /// <inheritdoc/>
    public override void AfterFit(Trainer trainer) => Result = PredictionGrid.Save(trainer.Model, dataset, Path, count, statistics: statistics);
}
