using System;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Inference;
using DeclCnn.Runtime.Interchange;
using DeclCnn.Runtime.Tests.Inference;
using DeclCnn.Runtime.Tests.Data;
using DeclCnn.Runtime.Training;
using DeclCnn.Runtime.Training.Callbacks;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Training;

public sealed class CheckpointTests : IDisposable
{
    private readonly ImageDataset train = TrainingFixtures.Bars(48, seed: 1);
    private readonly ImageDataset test = TrainingFixtures.Bars(16, seed: 2);
    private readonly TempDirectory directory = new();

    public void Dispose()
    {
        train.Dispose();
        test.Dispose();
        directory.Dispose();
    }

    [Fact]
    public void An_interrupted_and_resumed_run_ends_with_the_same_weights_as_an_uninterrupted_one()
    {
        // Dropout (torch's generator), Adam's moments, a per-batch cosine schedule and a plateau schedule's state all
        // have to come back for the weights to match bit for bit.
        FitOptions options = TrainingFixtures.Options(epochs: 4) with
        {
            Optimizer = new AdamWSettings { LearningRate = 1e-2 },
            Schedule = new CosineSchedule(WarmupEpochs: 1),
            EarlyStopping = new EarlyStoppingOptions("val_loss", Patience: 10),
        };
        using TinyCnn reference = TinyCnn.Create(seed: 7, dropout: 0.5);
        using (var trainer = NewTrainer(reference, options with { OutputDirectory = directory.File("reference") }))
        {
            trainer.Fit();
        }

        string run = directory.File("interrupted");
        using (TinyCnn first = TinyCnn.Create(seed: 7, dropout: 0.5))
        {
            var crash = new Probe { OnAfterBatch = t => { if (t.Epoch == 3 && t.Batch.Index == 1) { throw new IOException("power cut"); } } };
            using var trainer = NewTrainer(first, options with { OutputDirectory = run }, crash);
            Assert.Throws<IOException>(() => trainer.Fit());
        }

        Assert.Equal(2, Checkpoint.ReadState(Path.Combine(run, CheckpointCallback.LastFileName)).Epoch);
        using TinyCnn resumed = TinyCnn.Create(seed: 99, dropout: 0.5);
        FitResult result;
        using (var trainer = NewTrainer(resumed, options with { OutputDirectory = run }))
        {
            trainer.Resume(Path.Combine(run, CheckpointCallback.LastFileName));
            Assert.Equal(3, trainer.StartEpoch);
            result = trainer.Fit();
        }

        Assert.Equal(new[] { 1, 2, 3, 4 }, result.History.Epochs.Select(e => e.Epoch));
        var expected = TrainingFixtures.Weights(reference);
        var actual = TrainingFixtures.Weights(resumed);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.All(expected, pair => Assert.Equal(pair.Value, actual[pair.Key]));
    }

    [Fact]
    public void Checkpoints_hold_epoch_history_rng_and_load_into_a_fresh_model()
    {
        using TinyCnn model = TinyCnn.Create(seed: 7);
        using (var trainer = NewTrainer(model, TrainingFixtures.Options(epochs: 2) with { OutputDirectory = directory.Path }))
        {
            trainer.Fit();
        }

        CheckpointState last = Checkpoint.ReadState(directory.File(CheckpointCallback.LastFileName));
        CheckpointState best = Checkpoint.ReadState(directory.File(CheckpointCallback.BestFileName));
        using TinyCnn fresh = TinyCnn.Create(seed: 8);
        Checkpoint.LoadWeights(directory.File(CheckpointCallback.LastFileName), fresh);

        Assert.Equal(2, last.Epoch);
        Assert.Equal(2 * 3, last.StepCount);
        Assert.Equal(new[] { 1, 2 }, last.History.Select(e => e.Epoch));
        Assert.NotEmpty(last.RngState);
        Assert.Equal(typeof(TinyCnn).FullName, last.ModelType);
        int bestEpoch = last.History.MinBy(e => e.Validation!.Loss)!.Epoch;
        Assert.Equal(bestEpoch, best.Epoch);
        Assert.Equal(TrainingFixtures.Weights(model), TrainingFixtures.Weights(fresh));
        Assert.True(File.Exists(directory.File("history.csv")));
        Assert.Equal(3, File.ReadAllLines(directory.File("history.csv")).Length);
    }

    [Fact]
    public void Model_files_beside_the_checkpoints_carry_the_training_data_and_the_monitored_value()
    {
        using TinyCnn model = TinyCnn.Create(seed: 7);
        FitResult result;
        using (var trainer = NewTrainer(model, TrainingFixtures.Options(epochs: 3) with { OutputDirectory = directory.Path, CheckpointMonitor = "val_top1" }))
        {
            result = trainer.Fit();
        }

        EpochRecord bestRecord = result.History.Epochs.First(e => e.Validation!.Top1 == result.History.Epochs.Max(r => r.Validation!.Top1));
        ModelFileHeader best = ModelFile.ReadHeader(directory.File(CheckpointCallback.BestModelFileName));
        ModelFileHeader last = ModelFile.ReadHeader(directory.File(CheckpointCallback.LastModelFileName));
        Assert.Equal(typeof(TinyCnn).FullName, best.ModelType);
        Assert.Equal(new long[] { 1, 8, 8 }, best.Info.InputShape);
        Assert.Equal(train.Info.ClassNames, best.Info.ClassNames);
        Assert.Equal(train.Info.GetChannelStatistics().Mean, best.Info.Normalization.Mean);
        Assert.Equal(train.Info.GetChannelStatistics().Std, best.Info.Normalization.Std);
        Assert.Equal(new ModelProvenance { Dataset = train.Info.Name, Epochs = bestRecord.Epoch, Metric = "val_top1", MetricValue = bestRecord.Validation!.Top1 }, best.Info.Provenance);
        Assert.Equal(new ModelProvenance { Dataset = train.Info.Name, Epochs = 3, Metric = "val_top1", MetricValue = result.Last.Validation!.Top1 }, last.Info.Provenance);

        using TinyCnn fromCheckpoint = TinyCnn.Create(seed: 8);
        Checkpoint.LoadWeights(directory.File(CheckpointCallback.BestFileName), fromCheckpoint);
        TinyCnn fromModelFile = TinyCnn.Create(seed: 9);
        // TorchSharp keeps the module (ONNX Runtime would export and dispose it), so its weights can be compared.
        using (Classifier classifier = Classifier.Load(fromModelFile, directory.File(CheckpointCallback.BestModelFileName), new ClassifierOptions { Engine = ClassifierEngine.TorchSharp }))
        {
            Assert.Equal(train.Info.ClassNames, classifier.Info.ClassNames);
            Assert.Equal(TrainingFixtures.Weights(fromCheckpoint), TrainingFixtures.Weights(fromModelFile));
        }

        string[] perClass = File.ReadAllLines(directory.File(ClassReport.PerClassFileName));
        Assert.Equal("class,accuracy,images", perClass[0]);
        Assert.Equal(train.Info.ClassNames, perClass.Skip(1).Select(line => line.Split(',')[0]));
        Assert.Equal(test.Count, perClass.Skip(1).Sum(line => long.Parse(line.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("true\\predicted," + string.Join(',', train.Info.ClassNames), File.ReadLines(directory.File(ClassReport.ConfusionFileName)).First());
        using var other = new TinyRgbNet();
        var error = Assert.Throws<WeightFileException>(() => ModelFile.Load(other, directory.File(CheckpointCallback.BestModelFileName)));
        Assert.Contains(typeof(TinyCnn).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(TinyRgbNet).FullName!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_save_that_fails_midway_keeps_the_previous_checkpoint_and_leaves_no_temporary_file()
    {
        using TinyCnn model = TinyCnn.Create(seed: 7);
        var failOnSecondEpoch = new Probe(order: TrainerCallback.Orders.Checkpoint - 1)
        {
            OnAfterEpoch = t =>
            {
                if (t.Epoch == 2)
                {
                    t.Callbacks.OfType<CheckpointCallback>().Single().Wrap = stream => new FailingStream(stream, failAfterBytes: 300);
                }
            },
        };
        using var trainer = NewTrainer(model, TrainingFixtures.Options(epochs: 3) with { OutputDirectory = directory.Path }, failOnSecondEpoch);

        var error = Assert.Throws<IOException>(() => trainer.Fit());

        Assert.Equal("disk full", error.Message);
        Assert.Equal(1, Checkpoint.ReadState(directory.File(CheckpointCallback.LastFileName)).Epoch);
        using TinyCnn fresh = TinyCnn.Create(seed: 8);
        Checkpoint.LoadWeights(directory.File(CheckpointCallback.LastFileName), fresh);
        Assert.Empty(Directory.GetFiles(directory.Path, "*.tmp"));
    }

    [Fact]
    public void A_nan_loss_stops_the_run_naming_the_batch_and_keeps_the_last_good_checkpoint()
    {
        using TinyCnn model = TinyCnn.Create(seed: 7);
        var poison = new Probe(order: -1)
        {
            OnBeforeBatch = t =>
            {
                if (t.Epoch == 2 && t.Batch.Index == 1)
                {
                    using var noGrad = no_grad();
                    t.Model.parameters().First().fill_(float.NaN);
                }
            },
        };
        using var trainer = NewTrainer(model, TrainingFixtures.Options(epochs: 3) with { OutputDirectory = directory.Path }, poison);

        var error = Assert.Throws<NonFiniteLossException>(() => trainer.Fit());

        Assert.Contains("The training loss is NaN in epoch 2, batch 2 of 3", error.Message, StringComparison.Ordinal);
        Assert.Contains(directory.File(CheckpointCallback.LastFileName), error.Message, StringComparison.Ordinal);
        CheckpointState kept = Checkpoint.ReadState(directory.File(CheckpointCallback.LastFileName));
        Assert.Equal(1, kept.Epoch);
        Assert.True(double.IsFinite(kept.History[0].Train.Loss));
    }

    [Fact]
    public void Files_that_are_not_checkpoints_are_rejected_clearly()
    {
        File.WriteAllText(directory.File("bogus.ckpt"), "hello");
        File.WriteAllBytes(directory.File("short.ckpt"), "DCNNCKPT"u8.ToArray());

        Assert.Contains("not a DeclCnn checkpoint", Assert.Throws<InvalidDataException>(() => Checkpoint.ReadState(directory.File("bogus.ckpt"))).Message, StringComparison.Ordinal);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Checkpoint.ReadState(directory.File("short.ckpt"))).Message, StringComparison.Ordinal);
    }

    private Trainer NewTrainer(TinyCnn model, FitOptions options, params TrainerCallback[] callbacks) =>
        new(model, TrainingFixtures.Batches(train, 16), TrainingFixtures.Batches(test, 16, shuffle: false), options, callbacks);

    /// <summary>Passes writes through until a byte budget is spent, then fails like a full disk.</summary>
    private sealed class FailingStream(Stream inner, long failAfterBytes) : Stream
    {
        private long written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => written; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (written + count > failAfterBytes)
            {
                inner.Write(buffer, offset, (int)(failAfterBytes - written));
                throw new IOException("disk full");
            }

            inner.Write(buffer, offset, count);
            written += count;
        }
    }
}
