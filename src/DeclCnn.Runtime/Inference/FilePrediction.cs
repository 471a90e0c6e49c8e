using System.Diagnostics.CodeAnalysis;

namespace DeclCnn.Runtime.Inference;

/// <summary>The outcome for one file of a batch run: its prediction, or why it could not be classified.</summary>
/// <param name="Path">The file.</param>
/// <param name="Prediction">The prediction; null when the file failed.</param>
/// <param name="Error">Why the file could not be classified (unreadable, empty, not an image, too large, corrupt); null on success.</param>
public sealed record FilePrediction(string Path, Prediction? Prediction, string? Error)
{
    /// <summary>Whether the file was classified.</summary>
    [MemberNotNullWhen(true, nameof(Prediction))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Prediction is not null;
}
