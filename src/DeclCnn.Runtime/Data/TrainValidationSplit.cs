using System;

namespace DeclCnn.Runtime.Data;

/// <summary>A training set and the validation set split off it (<see cref="ImageDataset.SplitValidation"/>); disposing it disposes both.</summary>
/// <param name="Train">The images kept for training.</param>
/// <param name="Validation">The images held out for validation.</param>
public sealed record TrainValidationSplit(ImageDataset Train, ImageDataset Validation) : IDisposable
{
    /// <summary>Frees the tensors of both sets.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
    }
}
