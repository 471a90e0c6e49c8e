using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DeclCnn.Runtime.Data.Cifar;

/// <summary>Builds the tensors of a CIFAR dataset once every file has been read and checked.</summary>
internal static class CifarDatasets
{
    public static TrainTestSplit Create(
        DatasetInfo info, string directory, IReadOnlyList<string> trainPaths, byte[] trainPixels, byte[] trainLabels, byte[] testPixels, byte[] testLabels)
    {
        ImageDataset train = ImageDataset.FromBytes(trainPixels, trainLabels, info);
        ImageDataset? test = null;
        try
        {
            DatasetInfo measured = info; // the published statistics, unless enough images to measure
            if (train.Count >= DatasetStatistics.MinimumImages)
            {
                (ChannelStatistics perChannel, Normalization overall) = Statistics(info, directory, trainPaths, train);
                measured = info with { Normalization = overall, ChannelStatistics = perChannel };
            }

            test = ImageDataset.FromBytes(testPixels, testLabels, measured);
            return new TrainTestSplit(train.WithInfo(measured), test);
        }
        catch
        {
            train.Dispose();
            test?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The training set's statistics, for at least <see cref="DatasetStatistics.MinimumImages"/> images (a smaller set,
    /// never the official files, keeps the published statistics of the full training set that it arrives with). The
    /// only argument the computation refuses from such files is a constant channel (std 0): damaged data, named by its files.
    /// </summary>
    private static (ChannelStatistics PerChannel, Normalization Overall) Statistics(
        DatasetInfo info, string directory, IReadOnlyList<string> trainPaths, ImageDataset train)
    {
        try
        {
            return DatasetStatistics.GetOrCompute(train, Path.Combine(directory, DatasetStatistics.CacheFileName), DatasetStatistics.SourceKey(trainPaths));
        }
        catch (ArgumentException error)
        {
            throw new InvalidDataException(
                $"{info.Name} training files {string.Join(", ", trainPaths.Select(p => $"'{p}'"))} hold a constant channel (std 0), which cannot be normalized.",
                error);
        }
    }
}
