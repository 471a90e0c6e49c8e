namespace DeclCnn.Runtime.Inference;

/// <summary>Where a model file's weights came from; every part is optional.</summary>
public sealed record ModelProvenance
{
    /// <summary>The training set's name, e.g. "Fashion-MNIST".</summary>
    public string? Dataset { get; init; }

    /// <summary>The number of epochs the weights were trained for.</summary>
    public int? Epochs { get; init; }

    /// <summary>The metric the weights were chosen by, e.g. <c>val_top1</c>.</summary>
    public string? Metric { get; init; }

    /// <summary>The value of <see cref="Metric"/> for these weights.</summary>
    public double? MetricValue { get; init; }
}
