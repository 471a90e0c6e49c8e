namespace DeclCnn.Runtime.Inference;

/// <summary>How a <see cref="Classifier"/> runs, decodes images and how much it answers.</summary>
public sealed record ClassifierOptions
{
    /// <summary>The engine <see cref="Classifier.Load"/> runs the network on; <see cref="ClassifierEngine.OnnxRuntime"/> by default.</summary>
    public ClassifierEngine Engine { get; init; } = ClassifierEngine.OnnxRuntime;

    /// <summary>How many classes each prediction lists (top-k); at most the class count. Null: 5, or every class when there are fewer.</summary>
    public int? Top { get; init; }

    /// <summary>How images of another size than the network's input are fitted; <see cref="ImageFit.Resize"/> by default, as training images are.</summary>
    public ImageFit Fit { get; init; } = ImageFit.Resize;

    /// <summary>Images per engine call in file runs and large tensor batches; bounds the memory a run takes. 64 by default.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>The largest image (width x height) decoded; larger ones are refused before decoding.</summary>
    public long MaxPixels { get; init; } = ImageDecoder.DefaultMaxPixels;
}
