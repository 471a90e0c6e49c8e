namespace DeclCnn.Runtime.Inference;

/// <summary>What a model file says about its weights, read without loading them.</summary>
/// <param name="ModelType">The full .NET name of the declaration the weights were saved from, e.g. <c>DeclCnn.Samples.SimpleCnn</c>.</param>
/// <param name="Info">The input shape, statistics, class names and provenance.</param>
public sealed record ModelFileHeader(string ModelType, ModelInfo Info);
