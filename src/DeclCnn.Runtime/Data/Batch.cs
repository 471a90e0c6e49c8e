using System;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Data;

/// <summary>One batch: normalized float32 images (B, C, H, W) and int64 labels (B), on the loader's device.</summary>
public sealed class Batch : IDisposable
{
    internal Batch(Tensor images, Tensor labels)
    {
        Images = images;
        Labels = labels;
    }

    /// <summary>The images, float32, normalized.</summary>
    public Tensor Images { get; }

    /// <summary>The labels, int64.</summary>
    public Tensor Labels { get; }

    /// <summary>The number of images in the batch.</summary>
    public int Count => (int)Labels.shape[0];

    /// <summary>Frees both tensors; the loader calls it when it moves on.</summary>
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
