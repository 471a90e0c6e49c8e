using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Data;

/// <summary>
/// A whole image classification dataset in memory as two tensors: the images as bytes, shape
/// (N, C, H, W), and the labels as int64, shape (N). Keeping the bytes (4x smaller than float32)
/// and converting per batch lets the whole set live in one tensor, on the CPU or a GPU.
/// The dataset owns both tensors; dispose it to free them.
/// </summary>
public sealed class ImageDataset : IDisposable
{
    private ImageDataset(Tensor images, Tensor labels, DatasetInfo info)
    {
        Images = images;
        Labels = labels;
        Info = info;
    }

    /// <summary>The images, uint8, shape (N, C, H, W).</summary>
    public Tensor Images { get; }

    /// <summary>The labels, int64, shape (N), each in [0, number of classes).</summary>
    public Tensor Labels { get; }

    /// <summary>Shape, class names and statistics of the dataset.</summary>
    public DatasetInfo Info { get; }

    /// <summary>The number of images.</summary>
    public long Count => Labels.shape[0];

    /// <summary>
    /// Copies <paramref name="pixels"/> (image after image, channel after channel, row-major) and
    /// <paramref name="labels"/> (one byte per image) into CPU tensors shaped by <paramref name="info"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths do not match each other or the image shape.</exception>
    public static ImageDataset FromBytes(ReadOnlySpan<byte> pixels, ReadOnlySpan<byte> labels, DatasetInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        long imageLength = (long)info.Channels * info.Height * info.Width;
        if (pixels.Length != labels.Length * imageLength)
        {
            throw new ArgumentException(
                $"{labels.Length} labels need {labels.Length * imageLength} pixel bytes for {info.Channels}x{info.Height}x{info.Width} images, but {pixels.Length} were given.",
                nameof(pixels));
        }

        var longLabels = new long[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            longLabels[i] = labels[i];
        }

        return FromBytes(pixels, longLabels, info);
    }

    /// <summary>As <see cref="FromBytes(ReadOnlySpan{byte}, ReadOnlySpan{byte}, DatasetInfo)"/>, with int64 labels (more than 256 classes).</summary>
    internal static ImageDataset FromBytes(ReadOnlySpan<byte> pixels, long[] longLabels, DatasetInfo info)
    {
        long imageLength = (long)info.Channels * info.Height * info.Width;
        if (pixels.Length != longLabels.Length * imageLength)
        {
            throw new ArgumentException($"{longLabels.Length} labels need {longLabels.Length * imageLength} pixel bytes, but {pixels.Length} were given.", nameof(pixels));
        }

        // Detached from any dispose scope the caller may have open: the dataset owns its tensors.
        Tensor images = empty([longLabels.Length, info.Channels, info.Height, info.Width], ScalarType.Byte).DetachFromDisposeScope();
        if (!pixels.IsEmpty)
        {
            pixels.CopyTo(images.bytes);
        }

        return new ImageDataset(images, tensor(longLabels).DetachFromDisposeScope(), info);
    }

    /// <summary>
    /// A new dataset holding copies of the images and labels at <paramref name="indices"/>, in that order, with the
    /// same <see cref="Info"/>. It owns its tensors, independently of this one.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, <see cref="Count"/>).</exception>
    public ImageDataset Subset(ReadOnlySpan<long> indices)
    {
        foreach (long position in indices)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(position, nameof(indices));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(position, Count, nameof(indices));
        }

        using DisposeScope scope = NewDisposeScope();
        Tensor index = tensor(indices.ToArray(), device: Images.device);
        Tensor images = Images.index_select(0, index);
        Tensor labels = Labels.index_select(0, index);
        return new ImageDataset(images.DetachFromDisposeScope(), labels.DetachFromDisposeScope(), Info);
    }

    /// <summary>
    /// Splits off a validation set, reproducibly: a SplitMix64 Fisher-Yates permutation of the indices seeded
    /// with <paramref name="seed"/>; its first round(<see cref="Count"/> x <paramref name="validationFraction"/>)
    /// indices form the validation set and the rest the training set, each kept in dataset order. The same seed,
    /// fraction and count give the same split on every machine.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not strictly between 0 and 1, or leaves one side empty.</exception>
    public TrainValidationSplit SplitValidation(double validationFraction, ulong seed)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must be strictly between 0 and 1.");
        }

        long validationCount = (long)Math.Round(Count * validationFraction, MidpointRounding.AwayFromZero);
        if (validationCount == 0 || validationCount == Count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(validationFraction), validationFraction, $"A fraction of {validationFraction} of {Count} images leaves the training or the validation set empty.");
        }

        long[] order = Permutation(seed);
        long[] validation = order[..(int)validationCount];
        long[] train = order[(int)validationCount..];
        Array.Sort(validation);
        Array.Sort(train);
        ImageDataset trainSet = Subset(train);
        try
        {
            return new TrainValidationSplit(trainSet, Subset(validation));
        }
        catch
        {
            trainSet.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A reproducible random subset of <paramref name="count"/> images, kept in dataset order: the first
    /// <paramref name="count"/> indices of the same seeded permutation <see cref="SplitValidation"/> uses. The same seed
    /// and count give the same images on every machine.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not in [1, <see cref="Count"/>].</exception>
    public ImageDataset RandomSubset(long count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        long[] chosen = Permutation(seed)[..(int)count];
        Array.Sort(chosen);
        return Subset(chosen);
    }

    /// <summary>
    /// The images of <paramref name="classes"/> only, in dataset order, relabelled by their position in
    /// <paramref name="classes"/> (the first becomes class 0) with the class names to match: for example classes 5-9 of a
    /// ten-class set as a five-class set for transfer learning. The normalization statistics stay those of this dataset.
    /// </summary>
    /// <exception cref="ArgumentException">No class is given, a class is repeated, or no image has one of the classes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A class is not one of this dataset's.</exception>
    public ImageDataset SelectClasses(params int[] classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Length == 0 || classes.Distinct().Count() != classes.Length)
        {
            throw new ArgumentException($"Select at least one class, each once; got [{string.Join(", ", classes)}].", nameof(classes));
        }

        foreach (int label in classes)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(label, nameof(classes));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(label, Info.ClassNames.Count, nameof(classes));
        }

        using DisposeScope scope = NewDisposeScope();
        var relabel = full(Info.ClassNames.Count, -1L, ScalarType.Int64, device: Labels.device);
        for (int i = 0; i < classes.Length; i++)
        {
            relabel[classes[i]] = i;
        }

        Tensor mapped = relabel.index_select(0, Labels);
        Tensor kept = mapped.ge(0).nonzero().squeeze(1);
        if (kept.shape[0] == 0)
        {
            throw new ArgumentException($"{Info.Name} has no image of the classes [{string.Join(", ", classes)}].", nameof(classes));
        }

        var names = classes.Select(c => Info.ClassNames[c]).ToList().AsReadOnly();
        DatasetInfo info = Info with { Name = $"{Info.Name}, classes {string.Join(", ", classes)}", ClassNames = names };
        return new ImageDataset(
            Images.index_select(0, kept).DetachFromDisposeScope(), mapped.index_select(0, kept).DetachFromDisposeScope(), info);
    }

    /// <summary>A SplitMix64 Fisher-Yates permutation of the indices, seeded with <paramref name="seed"/>.</summary>
    private long[] Permutation(ulong seed)
    {
        long[] order = new long[Count];
        for (long i = 0; i < order.LongLength; i++)
        {
            order[i] = i;
        }

        new SplitMix64(seed).Shuffle(order.AsSpan());
        return order;
    }

    /// <summary>The same tensors under another <see cref="Info"/>; ownership moves to the result, so only it may be disposed.</summary>
    internal ImageDataset WithInfo(DatasetInfo info) => new(Images, Labels, info);

    /// <summary>Frees both tensors.</summary>
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
