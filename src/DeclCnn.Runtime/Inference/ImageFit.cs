namespace DeclCnn.Runtime.Inference;

/// <summary>How <see cref="ImageDecoder"/> fits an image of another size to the network's input.</summary>
public enum ImageFit
{
    /// <summary>
    /// Resizes the whole image to the input size, not keeping its aspect ratio (bicubic, Mitchell filter): what
    /// <see cref="Data.ImageFolder"/> does to training images, so the default.
    /// </summary>
    Resize,

    /// <summary>
    /// Resizes (bicubic, Mitchell filter) so that the image just covers the input size, keeping its aspect ratio, then
    /// keeps the centre: torchvision's <c>Resize(size)</c> then <c>CenterCrop(size)</c>, for photos taken wider or
    /// taller than the network's input.
    /// </summary>
    CenterCrop,
}
