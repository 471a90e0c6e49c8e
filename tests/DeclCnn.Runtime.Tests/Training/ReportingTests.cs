using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Tests.Data;
using DeclCnn.Runtime.Training;
using DeclCnn.Runtime.Training.Reporting;
using SkiaSharp;
using Xunit;

namespace DeclCnn.Runtime.Tests.Training;

/// <summary>Progress output, TensorBoard event files, PNG plots and the predictions grid.</summary>
public class ReportingTests
{
    [Theory]
    [InlineData(true, true, true, ProgressDisplay.Plain)]
    [InlineData(false, false, true, ProgressDisplay.Plain)]
    [InlineData(false, true, false, ProgressDisplay.Plain)]
    [InlineData(false, true, true, ProgressDisplay.Live)]
    public void Live_progress_only_on_an_interactive_ANSI_terminal_that_is_not_redirected(bool redirected, bool ansi, bool interactive, ProgressDisplay expected) =>
        Assert.Equal(expected, ProgressCallback.Detect(redirected, ansi, interactive));

    [Fact]
    public void Automatic_progress_on_a_writer_is_plain()
    {
        using var writer = new StringWriter();
        Assert.Equal(ProgressDisplay.Plain, new ProgressCallback(ProgressDisplay.Auto, writer).Display);
    }

    [Fact]
    public void Redirected_progress_is_plain_lines_with_the_epoch_records()
    {
        using var writer = new StringWriter();
        var progress = new ProgressCallback(ProgressDisplay.Plain, writer, plainUpdates: 4);
        FitResult result = Fit(epochs: 2, progress);

        string[] lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain(lines, line => line.Contains('\u001b', StringComparison.Ordinal) || line.Contains('\r', StringComparison.Ordinal));
        // 8 training batches per epoch, 4 updates: after batches 2, 4, 6 and 8.
        string[] epoch1 = lines.Where(l => l.StartsWith("epoch 1/2: ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, epoch1.Length);
        Assert.StartsWith("epoch 1/2: 25% (2/8 batches), loss ", epoch1[0], StringComparison.Ordinal);
        Assert.StartsWith("epoch 1/2: 100% (8/8 batches), loss ", epoch1[3], StringComparison.Ordinal);
        Assert.Contains(result.History.Epochs[0].ToString(), lines);
        Assert.Contains(result.History.Epochs[1].ToString(), lines);
        Assert.Equal(10, lines.Length);
    }

    [Fact]
    public void Live_progress_draws_with_ANSI_sequences_prints_the_records_and_stops_with_the_fit()
    {
        using var writer = new StringWriter();
        var progress = new ProgressCallback(ProgressDisplay.Live, writer);
        Assert.Equal(ProgressDisplay.Live, progress.Display);
        FitResult result = Fit(epochs: 2, progress);

        string text = writer.ToString();
        Assert.Contains("\u001b[", text, StringComparison.Ordinal);
        Assert.Contains("epoch 2/2", text, StringComparison.Ordinal);
        Assert.Contains(result.History.Epochs[0].ToString(), text, StringComparison.Ordinal);
        Assert.Contains(result.History.Epochs[1].ToString(), text, StringComparison.Ordinal);
        int length = text.Length;
        progress.Dispose();
        Assert.Equal(length, writer.ToString().Length);
    }

    [Fact]
    public void TensorBoard_event_file_has_valid_framing_and_the_history_as_scalars()
    {
        using var directory = new TempDirectory();
        string logs = directory.File("tb");
        FitResult result = Fit(epochs: 2, new TensorBoardCallback(logs, batchInterval: 4));

        string file = Assert.Single(Directory.GetFiles(logs));
        Assert.StartsWith("events.out.tfevents.", Path.GetFileName(file), StringComparison.Ordinal);
        List<Tensorboard.Event> events = TfRecords.Read(File.ReadAllBytes(file)).Select(Tensorboard.Event.Parser.ParseFrom).ToList();
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.True(events[0].WallTime > 1e17, "TorchSharp 0.107 stamps the file-version record in .NET ticks (documented)");

        var scalars = events.Skip(1).Select(e => (Tag: Assert.Single(e.Summary.Value).Tag, e.Step, Value: Assert.Single(e.Summary.Value).SimpleValue, e.WallTime)).ToList();
        double now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.All(scalars, s => Assert.InRange(s.WallTime, now - 86_400, now + 86_400));
        foreach (EpochRecord record in result.History.Epochs)
        {
            foreach (var (tag, value) in TensorBoardCallback.Scalars(record))
            {
                var written = Assert.Single(scalars, s => s.Tag == tag && s.Step == record.Epoch);
                Assert.Equal((float)value, written.Value);
            }
        }

        Assert.Equal(result.History.Epochs[1].Validation!.Top1, scalars.Single(s => s.Tag == "top1/val" && s.Step == 2).Value, 5);
        // 16 steps, every 4th: steps 4, 8, 12, 16.
        Assert.Equal([4L, 8, 12, 16], scalars.Where(s => s.Tag == "batch/loss").Select(s => s.Step));
        Assert.Equal(4, scalars.Count(s => s.Tag == "batch/lr"));
    }

    [Fact]
    public void TensorBoard_record_reader_rejects_a_corrupted_file()
    {
        using var directory = new TempDirectory();
        Fit(epochs: 1, new TensorBoardCallback(directory.Path));
        byte[] bytes = File.ReadAllBytes(Assert.Single(Directory.GetFiles(directory.Path)));
        Assert.NotEmpty(TfRecords.Read(bytes));
        bytes[^6] ^= 0x40;
        Assert.Throws<InvalidDataException>(() => TfRecords.Read(bytes));
    }

    [Fact]
    public void Plots_are_written_every_epoch_as_PNG_images_of_the_requested_size()
    {
        using var directory = new TempDirectory();
        string plots = directory.File("plots");
        var written = new List<DateTime>();
        var probe = new Probe(TrainerCallback.Orders.Checkpoint) { OnAfterEpoch = _ => written.Add(File.GetLastWriteTimeUtc(Path.Combine(plots, TrainingPlots.LossFile))) };
        Fit(epochs: 2, new PlotsCallback(plots), probe);

        Assert.Equal(2, written.Count);
        foreach (string name in new[] { TrainingPlots.LossFile, TrainingPlots.AccuracyFile, TrainingPlots.LearningRateFile })
        {
            AssertPng(Path.Combine(plots, name), 800, 500);
        }

        Assert.Equal(3, Directory.GetFiles(plots).Length);
    }

    [Fact]
    public void Plots_of_a_single_epoch_history_render_and_an_empty_history_is_refused()
    {
        using var directory = new TempDirectory();
        FitResult result = Fit(epochs: 1);
        IReadOnlyList<string> paths = TrainingPlots.Save(result.History, directory.Path, width: 320, height: 240);
        Assert.Equal(3, paths.Count);
        Assert.All(paths, path => AssertPng(path, 320, 240));
        Assert.Throws<ArgumentException>(() => TrainingPlots.Save(new TrainingHistory(), directory.Path));
    }

    [Fact]
    public void Predictions_grid_shows_the_first_images_with_the_models_predictions()
    {
        using var directory = new TempDirectory();
        using ImageDataset train = TrainingFixtures.Bars(128, seed: 1);
        using ImageDataset test = TrainingFixtures.Bars(64, seed: 2);
        using var model = TinyCnn.Create(5);
        string path = directory.File("grid/predictions.png");
        var grid = new PredictionGridCallback(test, path, count: 10);
        using (var trainer = new Trainer(model, TrainingFixtures.Batches(train, 16), null, TrainingFixtures.Options(epochs: 3), [grid]))
        {
            trainer.Fit();
        }

        PredictionGridResult result = Assert.IsType<PredictionGridResult>(grid.Result);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), result.Indices);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i % 2), result.TrueLabels);

        // The grid's predictions are the evaluation path's: same normalization, same argmax.
        using ImageDataset first = test.Subset(result.Indices.ToArray());
        ClassificationMetrics metrics = Trainer.Evaluate(model, TrainingFixtures.Batches(first, 10, shuffle: false));
        for (int label = 0; label < 2; label++)
        {
            for (int predicted = 0; predicted < 2; predicted++)
            {
                Assert.Equal(metrics.ConfusionMatrix[label][predicted], result.TrueLabels.Zip(result.PredictedLabels).Count(p => p.First == label && p.Second == predicted));
            }
        }

        // 8 columns of max(8 x 3, 96) + 6 pixels; 2 rows of 8 x 3 + 30 + 6.
        AssertPng(path, 8 * 102, 2 * 60);
    }

    private static FitResult Fit(int epochs, params TrainerCallback[] callbacks)
    {
        using ImageDataset train = TrainingFixtures.Bars(128, seed: 1);
        using ImageDataset validation = TrainingFixtures.Bars(48, seed: 2);
        using var model = TinyCnn.Create(5);
        using var trainer = new Trainer(model, TrainingFixtures.Batches(train, 16), TrainingFixtures.Batches(validation, 16, shuffle: false), TrainingFixtures.Options(epochs), callbacks);
        return trainer.Fit();
    }

    private static void AssertPng(string path, int width, int height)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 8, $"{path} is empty");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        using SKBitmap? bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
        // Something was drawn: not a single flat colour.
        Assert.True(bitmap.Pixels.Distinct().Skip(1).Any(), $"{path} is blank");
    }
}

/// <summary>
/// Reads TFRecord framing, written independently of TorchSharp: each record is a little-endian uint64 length, the masked
/// CRC-32C of those 8 bytes, the data, and the masked CRC-32C of the data.
/// </summary>
internal static class TfRecords
{
    private static readonly uint[] Table = BuildTable();

    public static List<byte[]> Read(byte[] file)
    {
        var records = new List<byte[]>();
        int position = 0;
        while (position < file.Length)
        {
            if (file.Length - position < 12)
            {
                throw new InvalidDataException($"Truncated record header at byte {position}.");
            }

            ReadOnlySpan<byte> header = file.AsSpan(position, 8);
            if (BitConverter.ToUInt32(file, position + 8) != Masked(header))
            {
                throw new InvalidDataException($"Bad length CRC at byte {position}.");
            }

            long length = BitConverter.ToInt64(file, position);
            position += 12;
            if (length < 0 || file.Length - position < length + 4)
            {
                throw new InvalidDataException($"Truncated record data at byte {position}.");
            }

            ReadOnlySpan<byte> data = file.AsSpan(position, (int)length);
            if (BitConverter.ToUInt32(file, position + (int)length) != Masked(data))
            {
                throw new InvalidDataException($"Bad data CRC at byte {position}.");
            }

            records.Add(data.ToArray());
            position += (int)length + 4;
        }

        return records;
    }

    /// <summary>TensorFlow's masked CRC: rotate right by 15 bits, add 0xa282ead8.</summary>
    private static uint Masked(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }

    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
