using System;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Data.Cifar;
using Xunit;

namespace DeclCnn.Runtime.Tests.Data;

public sealed class StatisticsTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public StatisticsTests() => Synthetic.EnsureTorch();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Compute_matches_a_direct_per_channel_computation()
    {
        using ImageDataset dataset = Synthetic.Random(count: DatasetStatistics.MinimumImages, channels: 3, side: 5, seed: 1);
        byte[] pixels = dataset.Images.data<byte>().ToArray();

        (ChannelStatistics perChannel, Normalization overall) = DatasetStatistics.Compute(dataset);

        for (int c = 0; c < 3; c++)
        {
            double[] values = Enumerable.Range(0, DatasetStatistics.MinimumImages).SelectMany(i => pixels.Skip((i * 75) + (c * 25)).Take(25)).Select(p => p / 255.0).ToArray();
            (double mean, double std) = MeanStd(values);
            Assert.Equal(mean, perChannel.Mean[c], 5);
            Assert.Equal(std, perChannel.Std[c], 5);
        }

        (double allMean, double allStd) = MeanStd(pixels.Select(p => p / 255.0).ToArray());
        Assert.Equal(allMean, overall.Mean, 5);
        Assert.Equal(allStd, overall.Std, 5);
    }

    [Fact]
    public void Compute_spans_several_chunks()
    {
        // More images than one 4096-image chunk: every image must count once.
        byte[] pixels = Enumerable.Range(0, 5000).Select(i => (byte)(i < 2500 ? 0 : 255)).ToArray();
        using ImageDataset dataset = ImageDataset.FromBytes(pixels, new byte[5000], Synthetic.Info(1, 1, Normalization.None));

        (ChannelStatistics perChannel, _) = DatasetStatistics.Compute(dataset);

        Assert.Equal(0.5, perChannel.Mean[0], 6);
        Assert.Equal(0.5, perChannel.Std[0], 6);
    }

    [Fact]
    public void A_constant_channel_cannot_be_normalized()
    {
        using ImageDataset dataset = ImageDataset.FromBytes(new byte[] { 7, 7, 7, 7 }, new byte[] { 0 }, Synthetic.Info(2, 1, Normalization.None));

        var error = Assert.Throws<ArgumentException>(() => DatasetStatistics.Compute(dataset, minimumImages: 1));

        Assert.Contains("constant channel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_few_images_are_refused_unless_accepted_explicitly()
    {
        using ImageDataset few = Synthetic.Random(count: 5, channels: 3, side: 4, seed: 5);

        var error = Assert.Throws<ArgumentException>(() => DatasetStatistics.Compute(few));
        var cached = Assert.Throws<ArgumentException>(() => DatasetStatistics.GetOrCompute(few, temp.File("statistics.json"), "key"));

        Assert.Equal(
            "Random has 5 image(s), too few for statistics that describe its data: they are computed from at least 100 "
            + "(from 10 Fashion-MNIST images the mean was up to 0.21 std off the whole set's). "
            + "Compute them from the training set, or pass minimumImages: 5 to accept these. (Parameter 'dataset')",
            error.Message);
        Assert.Equal(error.Message, cached.Message);
        Assert.False(File.Exists(temp.File("statistics.json")));
        Assert.Equal(3, DatasetStatistics.Compute(few, minimumImages: 5).PerChannel.Channels);
        Assert.Throws<ArgumentException>(() => DatasetStatistics.Compute(few, minimumImages: 6));
    }

    [Fact]
    public void Statistics_are_cached_and_read_back_instead_of_recomputed()
    {
        using ImageDataset dataset = Synthetic.Random(count: DatasetStatistics.MinimumImages, channels: 3, side: 4, seed: 2);
        string cache = temp.File("statistics.json");

        var first = DatasetStatistics.GetOrCompute(dataset, cache, "key-1");
        Assert.True(File.Exists(cache));
        Assert.Equal(DatasetStatistics.Compute(dataset).PerChannel, first.PerChannel);

        // Tamper with the cached values: a cache hit must return them, proving nothing was recomputed.
        File.WriteAllText(cache, File.ReadAllText(cache).Replace("\"overallStd\"", "\"overallStd\": 0.125, \"ignored\"", StringComparison.Ordinal));
        var second = DatasetStatistics.GetOrCompute(dataset, cache, "key-1");

        Assert.Equal(first.PerChannel, second.PerChannel);
        Assert.Equal(0.125f, second.Overall.Std);
    }

    [Fact]
    public void A_stale_or_damaged_cache_is_recomputed_and_rewritten()
    {
        using ImageDataset dataset = Synthetic.Random(count: DatasetStatistics.MinimumImages, channels: 3, side: 4, seed: 3);
        using ImageDataset other = Synthetic.Random(count: DatasetStatistics.MinimumImages, channels: 3, side: 4, seed: 4);
        string cache = temp.File("statistics.json");
        DatasetStatistics.GetOrCompute(other, cache, "old files");

        var changedKey = DatasetStatistics.GetOrCompute(dataset, cache, "new files");
        File.WriteAllText(cache, "{ not json");
        var damaged = DatasetStatistics.GetOrCompute(dataset, cache, "new files");

        Assert.Equal(DatasetStatistics.Compute(dataset).PerChannel, changedKey.PerChannel);
        Assert.NotEqual(DatasetStatistics.Compute(other).PerChannel, changedKey.PerChannel);
        Assert.Equal(changedKey.PerChannel, damaged.PerChannel);
        Assert.Contains("new files", File.ReadAllText(cache), StringComparison.Ordinal);
        Assert.Equal(["statistics.json"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void The_source_key_changes_when_a_file_changes()
    {
        string path = temp.File("data.bin");
        File.WriteAllBytes(path, [1, 2, 3]);
        string before = DatasetStatistics.SourceKey([path]);

        File.WriteAllBytes(path, [1, 2, 3, 4]);

        Assert.NotEqual(before, DatasetStatistics.SourceKey([path]));
        Assert.StartsWith("data.bin:4:", DatasetStatistics.SourceKey([path]), StringComparison.Ordinal);
    }

    [Fact]
    public void Cifar_loading_computes_and_caches_the_training_statistics()
    {
        CifarFiles.WriteCifar10(temp.Path, perFile: DatasetStatistics.MinimumImages / 5);

        using (TrainTestSplit data = Cifar10.LoadFrom(temp.Path))
        {
            ChannelStatistics expected = DatasetStatistics.Compute(data.Train).PerChannel;
            Assert.Equal(expected, data.Train.Info.ChannelStatistics);
            Assert.Equal(expected, data.Test.Info.GetChannelStatistics());
        }

        Assert.True(File.Exists(temp.File(DatasetStatistics.CacheFileName)));
        CifarFiles.Write(temp.File("data_batch_1.bin"), Enumerable.Range(200, DatasetStatistics.MinimumImages / 5).Select(id => (new byte[] { 1 }, id)).ToArray());
        using TrainTestSplit changed = Cifar10.LoadFrom(temp.Path);
        Assert.Equal(DatasetStatistics.Compute(changed.Train).PerChannel, changed.Train.Info.ChannelStatistics);
    }

    [Fact]
    public void Cifar_files_with_too_few_training_images_keep_the_published_statistics()
    {
        CifarFiles.WriteCifar10(temp.Path, perFile: 2);

        using TrainTestSplit data = Cifar10.LoadFrom(temp.Path);

        Assert.Equal(10, data.Train.Count);
        Assert.Equal(Cifar10.Info.ChannelStatistics, data.Train.Info.ChannelStatistics);
        Assert.Equal(Cifar10.Info.Normalization, data.Test.Info.Normalization);
        Assert.False(File.Exists(temp.File(DatasetStatistics.CacheFileName)));
    }

    [Fact]
    public void Uniform_statistics_repeat_the_scalar_normalization()
    {
        var info = Synthetic.Info(2, 3, new Normalization(0.25f, 0.5f));

        ChannelStatistics statistics = info.GetChannelStatistics();

        Assert.Equal([0.25f], statistics.Mean);
        Assert.Equal([0.5f], statistics.Std);
        Assert.Throws<ArgumentException>(() => new ChannelStatistics([0.1f, 0.2f], [0.3f]));
        Assert.Throws<ArgumentException>(() => new ChannelStatistics([0.1f], [0f]));
    }

    private static (double Mean, double Std) MeanStd(double[] values)
    {
        double mean = values.Average();
        return (mean, Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average()));
    }
}
