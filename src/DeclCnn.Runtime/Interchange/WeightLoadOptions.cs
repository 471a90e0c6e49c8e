using System;
using System.Collections.Generic;

namespace DeclCnn.Runtime.Interchange;

/// <summary>How <see cref="ModuleWeights.LoadWeights"/> matches a file's keys with the model's.</summary>
public sealed record WeightLoadOptions
{
    /// <summary>
    /// When true (the default), every key of the model must be in the file and every key of the file in the model,
    /// after renaming and skipping. When false, keys on one side only are reported in the result and left alone.
    /// Shapes and dtypes must match in both modes.
    /// </summary>
    public bool Strict { get; init; } = true;

    /// <summary>
    /// Keys ignored on both sides: an entry skips the key itself and every key below it, so <c>"fc"</c> skips
    /// <c>fc.weight</c> and <c>fc.bias</c> (a new head keeps its own initialization). Matched after renaming.
    /// </summary>
    public IReadOnlyCollection<string> Skip { get; init; } = [];

    /// <summary>
    /// Maps each key of the file to the model's key before matching, for example
    /// <c>key =&gt; key.StartsWith("module.") ? key["module.".Length..] : key</c> for a state dict saved from a
    /// <c>DistributedDataParallel</c> wrapper. Null keeps the file's keys.
    /// </summary>
    public Func<string, string>? Rename { get; init; }
}
