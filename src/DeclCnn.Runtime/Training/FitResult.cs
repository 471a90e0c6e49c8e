using System.Collections.Generic;

namespace DeclCnn.Runtime.Training;

/// <summary>The outcome of <see cref="Trainer.Fit"/>: one entry per epoch, in order.</summary>
/// <param name="History">The per-epoch results.</param>
public sealed record FitResult(IReadOnlyList<EpochResult> History)
{
    /// <summary>The result of the last epoch.</summary>
    public EpochResult Last => History[^1];
}
