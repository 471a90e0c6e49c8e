namespace DeclCnn.Runtime.Inference;

/// <summary>How far a batch run over files has come, reported after each batch.</summary>
/// <param name="Done">Files handled so far, failures included.</param>
/// <param name="Total">Files in the run.</param>
/// <param name="Failed">Files that could not be classified so far.</param>
public readonly record struct PredictionProgress(int Done, int Total, int Failed);
