using System;

namespace DeclCnn.Runtime.Data;

/// <summary>A dataset's training and test sets; disposing it disposes both.</summary>
/// <param name="Train">The training set.</param>
/// <param name="Test">The test set.</param>
public sealed record TrainTestSplit(ImageDataset Train, ImageDataset Test) : IDisposable
{
    /// <summary>Frees the tensors of both sets.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
