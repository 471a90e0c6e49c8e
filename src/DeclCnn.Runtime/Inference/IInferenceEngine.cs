using System;

namespace DeclCnn.Runtime.Inference;

/// <summary>
/// Runs a classifier network on a batch of normalized images and returns its raw outputs (logits). Everything around
/// it (decoding, normalization, softmax, top-k) is <see cref="Classifier"/>'s, so every engine answers alike; the
/// contract is plain arrays, so an engine needs no TorchSharp.
/// </summary>
/// <remarks>Engines are not thread-safe: run one batch at a time.</remarks>
public interface IInferenceEngine : IDisposable
{
    /// <summary>The engine in words, e.g. <c>TorchSharp (cpu)</c>.</summary>
    string Name { get; }

    /// <summary>Runs <paramref name="count"/> images.</summary>
    /// <param name="batch">The normalized images, <c>[count, channels, height, width]</c> in row-major order.</param>
    /// <param name="count">The number of images in <paramref name="batch"/>.</param>
    /// <returns>The logits, <c>[count, classes]</c> in row-major order.</returns>
    float[] Run(float[] batch, int count);
}
