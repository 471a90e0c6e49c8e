using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Data.Augmentation;

namespace DeclCnn.App;

/// <summary>The augmentation <c>--augment</c> applies: the standard one for small images, adapted to the data set.</summary>
public static class Augmentations
{
    /// <summary>
    /// A random crop with zero padding (2 pixels for images under 32 pixels high, else 4), a horizontal flip (except
    /// for digits, which a mirror turns into other glyphs), normalization with the training set's statistics, and
    /// random erasing with probability 0.25.
    /// </summary>
    public static BatchTransform Standard(DatasetInfo info)
    {
        var normalize = new Normalize(info.GetChannelStatistics());
        var crop = new RandomCrop(padding: info.Height < 32 ? 2 : 4);
        var erase = new RandomErasing(probability: 0.25);
        return info.Name == Mnist.Info.Name
            ? new Compose(crop, normalize, erase)
            : new Compose(crop, new RandomHorizontalFlip(), normalize, erase);
    }
}
