using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Interchange;
using DeclCnn.Runtime.Interchange.Onnx;
using SkiaSharp;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Inference;

/// <summary>
/// Classifies images with a trained network: decodes them (<see cref="Decoder"/>), normalizes them with the training
/// set's statistics, runs the network through an <see cref="IInferenceEngine"/> and answers the top-k class names
/// with their softmax probabilities. Load one from a model file (<see cref="Load"/>) or build one from a module and
/// its <see cref="ModelInfo"/> (<see cref="FromModule"/>), or open an ONNX model (<see cref="Open(string, ClassifierOptions?)"/>), which
/// needs no TorchSharp.
/// </summary>
/// <remarks>Not thread-safe: one prediction at a time per classifier.</remarks>
public sealed class Classifier : IDisposable
{
    private readonly IInferenceEngine engine;
    private readonly float[] scale;
    private readonly float[] shift;

    /// <summary>A classifier running <paramref name="engine"/>, which it owns (disposing the classifier disposes it).</summary>
    /// <param name="engine">The engine that runs the network.</param>
    /// <param name="info">The input shape, statistics and class names the network was trained with.</param>
    /// <param name="options">Top-k, fitting and batching; the defaults when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">The top-k is not between 1 and the class count, or the batch size is not positive.</exception>
    public Classifier(IInferenceEngine engine, ModelInfo info, ClassifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(info);
        options ??= new ClassifierOptions();
        int classes = info.ClassNames.Count;
        Top = options.Top ?? Math.Min(5, classes);
        if (Top < 1 || Top > classes)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Top, $"Top-k must be between 1 and the class count, {classes}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize);
        this.engine = engine;
        Info = info;
        BatchSize = options.BatchSize;
        Decoder = new ImageDecoder((int)info.InputShape[0], (int)info.InputShape[1], (int)info.InputShape[2], options.Fit, options.MaxPixels);

        // (byte / 255 - mean) / std as one multiply-add per pixel.
        scale = info.Normalization.Std.Select(static s => 1f / (255f * s)).ToArray();
        shift = info.Normalization.Mean.Zip(info.Normalization.Std, static (m, s) => -m / s).ToArray();
    }

    /// <summary>The input shape, statistics, class names and provenance.</summary>
    public ModelInfo Info { get; }

    /// <summary>How images become the network's input.</summary>
    public ImageDecoder Decoder { get; }

    /// <summary>How many classes each prediction lists.</summary>
    public int Top { get; }

    /// <summary>Images per engine call in file runs and large tensor batches.</summary>
    public int BatchSize { get; }

    /// <summary>The engine in words.</summary>
    public string EngineName => engine.Name;

    /// <summary>The full .NET name of the declaration the weights were saved from, when the classifier was loaded or opened from a file that says so; otherwise null.</summary>
    public string? ModelType { get; private init; }

    /// <summary>
    /// Loads the model file <paramref name="path"/> into <paramref name="model"/> (which must be of the declaration the
    /// file was saved from: see <see cref="ModelFile.Load"/>) and classifies with it on the engine of
    /// <see cref="ClassifierOptions.Engine"/>: ONNX Runtime over the declaration's ONNX export, made in memory (the
    /// default), or the module itself on TorchSharp.
    /// </summary>
    /// <param name="model">A fresh module of the file's declaration, e.g. <c>new SimpleCnn()</c>. The classifier owns it: it is disposed with the classifier (at once for ONNX Runtime, which needs it only to export), or here when loading fails.</param>
    /// <param name="path">The model file.</param>
    /// <param name="options">Engine, top-k, fitting and batching.</param>
    /// <param name="device">Where TorchSharp runs; the CPU when null. ONNX Runtime runs on the CPU and takes none.</param>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="Interchange.WeightFileException">The file is damaged, truncated, not a model file, or of another declaration.</exception>
    /// <exception cref="ArgumentException">ONNX Runtime with a device, or with a module that is not a declared network (which cannot export itself).</exception>
    /// <exception cref="Interchange.Onnx.OnnxExportException">ONNX Runtime, and a layer of the network ONNX cannot express exactly.</exception>
    public static Classifier Load(nn.Module<Tensor, Tensor> model, string path, ClassifierOptions? options = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new ClassifierOptions();
        try
        {
            if (options.Engine == ClassifierEngine.OnnxRuntime && device is not null)
            {
                throw new ArgumentException($"ONNX Runtime runs on the CPU; the device {device} is for {nameof(ClassifierEngine)}.{nameof(ClassifierEngine.TorchSharp)}.", nameof(device));
            }

            if (options.Engine == ClassifierEngine.OnnxRuntime && model is not IOnnxExportable)
            {
                throw new ArgumentException(
                    $"{model.GetType().FullName} is not a declared network, so it cannot export itself to ONNX; use {nameof(ClassifierEngine)}.{nameof(ClassifierEngine.TorchSharp)}.", nameof(model));
            }

            ModelFileHeader header = ModelFile.Load(model, path);
            if (options.Engine == ClassifierEngine.TorchSharp)
            {
                return new Classifier(new TorchSharpEngine(model, header.Info.InputShape, device, ownsModel: true), header.Info, options) { ModelType = header.ModelType };
            }

            OnnxRuntimeEngine engine = OnnxRuntimeEngine.Load(((IOnnxExportable)model).ToOnnx(header.Info), path);
            Classifier classifier;
            try
            {
                classifier = new Classifier(engine, header.Info, options) { ModelType = header.ModelType };
            }
            catch
            {
                engine.Dispose();
                throw;
            }

            // The engine holds its own copy of the weights; the module is no longer needed.
            model.Dispose();
            return classifier;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens an ONNX model that DeclCnn exported with the classifier's information (<c>ExportOnnx(path, info)</c>, or
    /// <c>export --format onnx</c>) and classifies with it on ONNX Runtime. Uses no TorchSharp: a process that only
    /// opens ONNX files needs no libtorch.
    /// </summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <param name="options">Top-k, fitting and batching; the engine is ONNX Runtime whatever it says.</param>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="Interchange.WeightFileException">The file is not an ONNX model ONNX Runtime loads, has no (or damaged) DeclCnn metadata, or its graph does not take the input its metadata describes.</exception>
    public static Classifier Open(string path, ClassifierOptions? options = null)
    {
        OnnxRuntimeEngine engine = OnnxRuntimeEngine.Open(path);
        try
        {
            if (!ModelMetadata.IsPresent(engine.Metadata))
            {
                throw new WeightFileException(
                    $"'{path}' is an ONNX model without DeclCnn's metadata ({ModelMetadata.Keys.ModelType} and the rest), so its class names and "
                    + $"normalization statistics are unknown. Export it with ExportOnnx(path, info), or give them: {nameof(Classifier)}.{nameof(Open)}(path, info).");
            }

            ModelFileHeader header = ModelMetadata.Read(path, engine.Metadata);
            return Open(engine, path, header.Info, options, header.ModelType);
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens any ONNX image classifier (one input <c>[N, channels, height, width]</c>, one output of logits
    /// <c>[N, classes]</c>) with its information given here, and classifies with it on ONNX Runtime, without TorchSharp.
    /// </summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <param name="info">The input shape, training statistics and class names; the input shape must be the graph's.</param>
    /// <param name="options">Top-k, fitting and batching.</param>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="Interchange.WeightFileException">The file is not an ONNX model ONNX Runtime loads, or its graph takes another input than <paramref name="info"/> describes.</exception>
    public static Classifier Open(string path, ModelInfo info, ClassifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        OnnxRuntimeEngine engine = OnnxRuntimeEngine.Open(path);
        try
        {
            return Open(engine, path, info, options, modelType: null);
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Classifies with <paramref name="model"/> as it is, e.g. right after training. The classifier does not own the
    /// module; it switches it to evaluation mode for each prediction and leaves it so.
    /// </summary>
    /// <param name="model">The trained network.</param>
    /// <param name="info">Its input shape, training statistics and class names.</param>
    /// <param name="options">Top-k, fitting and batching.</param>
    /// <param name="device">Where to run (the module is moved there); null keeps it where it is.</param>
    public static Classifier FromModule(nn.Module<Tensor, Tensor> model, ModelInfo info, ClassifierOptions? options = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new Classifier(new TorchSharpEngine(model, info.InputShape, device), info, options);
    }

    private static Classifier Open(OnnxRuntimeEngine engine, string path, ModelInfo info, ClassifierOptions? options, string? modelType)
    {
        if (!engine.InputShape.SequenceEqual(info.InputShape))
        {
            throw new WeightFileException(
                $"'{path}' takes images [{string.Join(", ", engine.InputShape)}] but its information describes [{string.Join(", ", info.InputShape)}].");
        }

        return new Classifier(engine, info, options) { ModelType = modelType };
    }

    /// <summary>Classifies the image file <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is missing, unreadable, empty, not a PNG or JPEG image, too large or corrupt; the message names it.</exception>
    public Prediction Predict(string path) => Run([Decoder.Read(path)])[0];

    /// <summary>Classifies an encoded PNG or JPEG image.</summary>
    /// <param name="encoded">The image file's bytes.</param>
    /// <param name="source">What to call the image in error messages.</param>
    /// <exception cref="InvalidDataException">The bytes are empty, not a PNG or JPEG image, too large or corrupt.</exception>
    public Prediction Predict(byte[] encoded, string source)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        return Run([Decoder.Decode(encoded, source)])[0];
    }

    /// <summary>Classifies a decoded image.</summary>
    public Prediction Predict(SKBitmap image) => Run([Decoder.Convert(image)])[0];

    /// <summary>
    /// Classifies a batch <c>[N, channels, height, width]</c> of the input's shape, in chunks of <see cref="BatchSize"/>.
    /// A <c>uint8</c> batch holds pixels, as datasets store them (<see cref="Data.ImageDataset.Images"/>), and is
    /// normalized here; a <c>float32</c> batch is taken as the network's input, already normalized (as
    /// <see cref="Data.BatchLoader"/> makes it).
    /// </summary>
    /// <exception cref="ArgumentException">The batch has another shape or dtype.</exception>
    public IReadOnlyList<Prediction> Predict(Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.dim() != 4 || !batch.shape.Skip(1).SequenceEqual(Info.InputShape) || batch.dtype is not (ScalarType.Byte or ScalarType.Float32))
        {
            throw new ArgumentException(
                $"Expected a uint8 or float32 batch [N, {string.Join(", ", Info.InputShape)}]; got {batch.dtype} [{string.Join(", ", batch.shape)}].", nameof(batch));
        }

        var predictions = new List<Prediction>((int)batch.shape[0]);
        for (long start = 0; start < batch.shape[0]; start += BatchSize)
        {
            using var scope = NewDisposeScope();
            int count = (int)Math.Min(BatchSize, batch.shape[0] - start);
            Tensor chunk = batch.narrow(0, start, count).cpu().contiguous();
            predictions.AddRange(batch.dtype == ScalarType.Byte
                ? Run(Split(chunk.data<byte>().ToArray(), count))
                : Scores(engine.Run(chunk.data<float>().ToArray(), count), count));
        }

        return predictions;
    }

    /// <summary>
    /// Classifies <paramref name="paths"/> in batches of <see cref="BatchSize"/>, yielding each file's outcome in order
    /// as its batch finishes: memory is bounded by one batch however many files there are. A file that cannot be
    /// decoded is yielded as a failure with the reason, and the others are still classified.
    /// </summary>
    /// <param name="paths">The image files.</param>
    /// <param name="progress">Called after each batch.</param>
    public IEnumerable<FilePrediction> PredictFiles(IReadOnlyList<string> paths, Action<PredictionProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        int failed = 0;
        for (int start = 0; start < paths.Count; start += BatchSize)
        {
            string[] chunk = new string[Math.Min(BatchSize, paths.Count - start)];
            for (int i = 0; i < chunk.Length; i++)
            {
                chunk[i] = paths[start + i];
            }

            var outcomes = new FilePrediction?[chunk.Length];
            var decoded = new List<(int Position, byte[] Pixels)>(chunk.Length);
            for (int i = 0; i < chunk.Length; i++)
            {
                try
                {
                    decoded.Add((i, Decoder.Read(chunk[i])));
                }
                catch (InvalidDataException e)
                {
                    outcomes[i] = new FilePrediction(chunk[i], null, e.Message);
                    failed++;
                }
            }

            if (decoded.Count > 0)
            {
                Prediction[] predictions = Run(decoded.Select(static d => d.Pixels).ToArray());
                for (int i = 0; i < decoded.Count; i++)
                {
                    outcomes[decoded[i].Position] = new FilePrediction(chunk[decoded[i].Position], predictions[i], null);
                }
            }

            progress?.Invoke(new PredictionProgress(start + chunk.Length, paths.Count, failed));
            foreach (FilePrediction? outcome in outcomes)
            {
                yield return outcome!;
            }
        }
    }

    /// <summary>
    /// Classifies every file in <paramref name="directory"/> (in ordinal name order) as <see cref="PredictFiles"/> does:
    /// files that are not images, empty or unreadable are yielded as failures.
    /// </summary>
    /// <param name="directory">The folder.</param>
    /// <param name="recursive">Whether to include the files of sub-folders.</param>
    /// <param name="progress">Called after each batch.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public IEnumerable<FilePrediction> PredictFolder(string directory, bool recursive = false, Action<PredictionProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Image folder '{directory}' does not exist.");
        }

        string[] files = Directory.GetFiles(directory, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal)
            .ToArray();
        return PredictFiles(files, progress);
    }

    /// <summary>Disposes the engine (and, for <see cref="Load"/>, the module).</summary>
    public void Dispose() => engine.Dispose();

    private byte[][] Split(byte[] pixels, int count) =>
        Enumerable.Range(0, count).Select(i => pixels.AsSpan(i * Decoder.PixelCount, Decoder.PixelCount).ToArray()).ToArray();

    /// <summary>Normalizes and runs up to <see cref="BatchSize"/> images of <see cref="ImageDecoder.PixelCount"/> bytes each.</summary>
    private Prediction[] Run(byte[][] images)
    {
        int plane = Decoder.Height * Decoder.Width;
        float[] batch = new float[images.Length * Decoder.PixelCount];
        for (int i = 0; i < images.Length; i++)
        {
            for (int c = 0; c < Decoder.Channels; c++)
            {
                ReadOnlySpan<byte> source = images[i].AsSpan(c * plane, plane);
                Span<float> target = batch.AsSpan((i * Decoder.PixelCount) + (c * plane), plane);
                for (int p = 0; p < plane; p++)
                {
                    target[p] = (source[p] * scale[c]) + shift[c];
                }
            }
        }

        return Scores(engine.Run(batch, images.Length), images.Length);
    }

    /// <summary>Softmax and top-k of each row of <paramref name="logits"/>.</summary>
    private Prediction[] Scores(float[] logits, int count)
    {
        int classes = Info.ClassNames.Count;
        if (logits.Length != count * classes)
        {
            throw new InvalidOperationException(
                $"The network gives {logits.Length / Math.Max(1, count)} outputs per image but the classifier names {classes} classes.");
        }

        var predictions = new Prediction[count];
        var probabilities = new double[classes];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<float> row = logits.AsSpan(i * classes, classes);
            float max = float.NegativeInfinity;
            foreach (float logit in row)
            {
                max = Math.Max(max, logit);
            }

            double sum = 0;
            for (int k = 0; k < classes; k++)
            {
                probabilities[k] = Math.Exp(row[k] - max);
                sum += probabilities[k];
            }

            predictions[i] = new Prediction(Enumerable.Range(0, classes)
                .OrderByDescending(k => probabilities[k])
                .Take(Top)
                .Select(k => new ClassScore(k, Info.ClassNames[k], (float)(probabilities[k] / sum)))
                .ToArray());
        }

        return predictions;
    }
}
