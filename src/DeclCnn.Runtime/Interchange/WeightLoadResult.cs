using System.Collections.Generic;

namespace DeclCnn.Runtime.Interchange;

/// <summary>What <see cref="ModuleWeights.LoadWeights"/> copied and what it left alone.</summary>
/// <param name="Loaded">The model's keys whose tensors were copied from the file.</param>
/// <param name="Missing">The model's keys the file did not have (non-strict loads only); those tensors are unchanged.</param>
/// <param name="Unexpected">The file's keys, after renaming, that the model does not have (non-strict loads only).</param>
/// <param name="Skipped">The keys left out by <see cref="WeightLoadOptions.Skip"/>, from either side.</param>
public sealed record WeightLoadResult(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> Skipped);
