using System.Collections.Generic;
using System.IO;

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
            (ChannelStatistics perChannel, Normalization overall) = DatasetStatistics.GetOrCompute(
                train, Path.Combine(directory, DatasetStatistics.CacheFileName), DatasetStatistics.SourceKey(trainPaths));
            DatasetInfo measured = info with { Normalization = overall, ChannelStatistics = perChannel };
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
}
