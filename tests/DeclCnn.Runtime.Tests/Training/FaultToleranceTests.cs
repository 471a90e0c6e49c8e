using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Threading.Tasks;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Tests.Data;
using DeclCnn.Runtime.Training;
using DeclCnn.Runtime.Training.Callbacks;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Training;

/// <summary>
/// Faults during a run — a process killed at a point of the loop or in the middle of a checkpoint write, a full disk,
/// non-finite values, bad settings — and what a resume makes of them. A kill is an exception thrown from the point
/// of the loop where the process would die: the files on disk are then what a SIGKILL there leaves, except the
/// temporary files, which a real kill leaves behind and which one test lays out by hand.
/// </summary>
public sealed class FaultToleranceTests(ITestOutputHelper output) : IDisposable
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

    /// <summary>A run that early stopping ends after about 35 epochs, with dropout, AdamW and a per-batch cosine schedule.</summary>
    internal static FitOptions EarlyStoppingRun => TrainingFixtures.Options(epochs: 40) with
    {
        Optimizer = new AdamWSettings { LearningRate = 5e-2 },
        Schedule = new CosineSchedule(),
        EarlyStopping = new EarlyStoppingOptions("val_loss", Patience: 3),
    };

    [Fact]
    public void Resume_with_early_stopping_is_exact_after_a_kill_in_any_epoch()
    {
        Reference reference = RunReference(EarlyStoppingRun);
        Assert.StartsWith("early stopping", reference.Result.StopReason, StringComparison.Ordinal);
        int epochs = reference.Result.History.Epochs.Count;

        // Kills right after an epoch without improvement are the ones a stale early-stopping state would get wrong
        // (its patience counter one behind); epoch 2 and the stopping epoch bound the run.
        double[] losses = reference.Result.History.Epochs.Select(e => e.Validation!.Loss).ToArray();
        int[] stagnant = Enumerable.Range(2, epochs - 1).Where(k => losses[k - 2] >= losses[..(k - 2)].DefaultIfEmpty(double.MaxValue).Min()).ToArray();
        int[] kills = [2, stagnant[0], stagnant[^1], epochs];
        int cases = 0;
        foreach (int kill in kills.Distinct())
        {
            string run = directory.File($"kill-{kill}");
            int killEpoch = kill;
            var killer = new Probe { OnAfterBatch = t => { if (t.Epoch == killEpoch && t.Batch.IsTraining && t.Batch.Index == 0) { throw new SimulatedKill(); } } };
            using (TinyCnn model = TinyCnn.Create(seed: 7, dropout: 0.5))
            using (Trainer killed = NewTrainer(model, EarlyStoppingRun with { OutputDirectory = run }, killer))
            {
                Assert.Throws<SimulatedKill>(() => killed.Fit());
            }

            Resumed resumed = Resume(EarlyStoppingRun with { OutputDirectory = run });
            AssertSameOutcome(reference, resumed, $"killed in epoch {kill}");
            cases++;
        }

        Assert.True(cases >= 3, $"only {cases} kill points");
        output.WriteLine($"{cases} kill points (epochs {string.Join(", ", kills.Distinct())}), each resumed to the reference's outcome: {reference.Result.StopReason}");
    }

    [Theory]
    [InlineData(FaultChildProcess.AfterFirstBatch)]
    [InlineData(FaultChildProcess.DuringBestWrite)]
    public void A_real_kill_of_the_training_process_resumes_to_the_uninterrupted_outcome(string mode)
    {
        Reference reference = RunReference(EarlyStoppingRun);
        int epoch = mode == FaultChildProcess.DuringBestWrite ? reference.BestEpoch : reference.Result.History.Epochs.Count;
        string run = directory.File("child");

        KillChild(run, mode, epoch);

        if (mode == FaultChildProcess.DuringBestWrite)
        {
            Assert.Single(Directory.GetFiles(run, $"{CheckpointCallback.BestFileName}.*.tmp"));
        }

        Resumed resumed = Resume(EarlyStoppingRun with { OutputDirectory = run });
        Assert.Empty(Directory.GetFiles(run, "*.tmp"));
        AssertSameOutcome(reference, resumed, $"killed ({mode}) in epoch {epoch}");
    }

    [Fact]
    public void A_kill_while_best_ckpt_is_written_is_repaired_on_resume()
    {
        Reference reference = RunReference(EarlyStoppingRun);
        int best = reference.BestEpoch;
        Assert.InRange(best, 2, reference.Result.History.Epochs.Count - 1);

        string run = directory.File("killed-in-best");
        int writes = 0;
        var killDuringBestCopy = new Probe(order: TrainerCallback.Orders.Checkpoint - 1)
        {
            OnAfterEpoch = t =>
            {
                if (t.Epoch == best)
                {
                    // The first write of the epoch is last.ckpt, the second best.ckpt: die halfway through that one.
                    t.Callbacks.OfType<CheckpointCallback>().Single().Wrap = stream => ++writes == 2 ? new DyingStream(stream, 300) : stream;
                }
            },
        };
        using (TinyCnn model = TinyCnn.Create(seed: 7, dropout: 0.5))
        using (Trainer killed = NewTrainer(model, EarlyStoppingRun with { OutputDirectory = run }, killDuringBestCopy))
        {
            Assert.Throws<SimulatedKill>(() => killed.Fit());
        }

        Assert.Equal(best, Checkpoint.ReadState(Path.Combine(run, CheckpointCallback.LastFileName)).Epoch);
        Resumed resumed = Resume(EarlyStoppingRun with { OutputDirectory = run });

        Assert.Equal(best, Checkpoint.ReadState(Path.Combine(run, CheckpointCallback.BestFileName)).Epoch);
        AssertSameOutcome(reference, resumed, "killed while writing best.ckpt");
    }

    [Fact]
    public void History_files_never_run_ahead_of_the_checkpoint_and_a_resume_rewrites_them_from_it()
    {
        string run = directory.Path;
        var fullDiskInEpoch3 = new Probe(order: TrainerCallback.Orders.Checkpoint - 1)
        {
            OnAfterEpoch = t =>
            {
                if (t.Epoch == 3)
                {
                    t.Callbacks.OfType<CheckpointCallback>().Single().Wrap = stream => new FullDiskStream(stream, 300);
                }
            },
        };
        using (TinyCnn model = TinyCnn.Create(seed: 7))
        using (Trainer trainer = NewTrainer(model, TrainingFixtures.Options(epochs: 5) with { OutputDirectory = run }, fullDiskInEpoch3))
        {
            Assert.Throws<IOException>(() => trainer.Fit());
        }

        CheckpointState last = Checkpoint.ReadState(directory.File(CheckpointCallback.LastFileName));
        Assert.Equal(2, last.Epoch);
        AssertHistoryFilesHold(last);

        // History files that disagree with the checkpoint and with each other (a kill or a full disk between the two
        // writes): the resume puts both back to the checkpoint's history before the first new epoch ends.
        File.WriteAllText(directory.File("history.csv"), "epoch,lr\n1,0.1\n2,0.1\n3,0.1\n4,0.1\n");
        var killAtFirstBatch = new Probe { OnAfterBatch = t => throw new SimulatedKill() };
        using (TinyCnn model = TinyCnn.Create(seed: 8))
        using (Trainer resumed = NewTrainer(model, TrainingFixtures.Options(epochs: 5) with { OutputDirectory = run }, killAtFirstBatch))
        {
            resumed.Resume(directory.File(CheckpointCallback.LastFileName));
            Assert.Throws<SimulatedKill>(() => resumed.Fit());
        }

        AssertHistoryFilesHold(last);
    }

    [Fact]
    public void Temporary_files_of_this_runs_naming_scheme_are_removed_at_the_next_start()
    {
        string[] stale =
        [
            $"last.ckpt.{Guid.NewGuid():N}.tmp", $"best.ckpt.{Guid.NewGuid():N}.tmp",
            $"history.csv.{Guid.NewGuid():N}.tmp", $"history.json.{Guid.NewGuid():N}.tmp",
        ];
        string[] foreign = ["notes.tmp", "last.ckpt.mine.tmp", $"other.ckpt.{Guid.NewGuid():N}.tmp", $"last.ckpt.{Guid.NewGuid():N}.tmp.keep"];
        foreach (string name in stale.Concat(foreign))
        {
            File.WriteAllBytes(directory.File(name), new byte[1024]);
        }

        using TinyCnn model = TinyCnn.Create(seed: 7);
        using (Trainer trainer = NewTrainer(model, TrainingFixtures.Options(epochs: 1) with { OutputDirectory = directory.Path }))
        {
            trainer.Fit();
        }

        Assert.All(stale, name => Assert.False(File.Exists(directory.File(name)), name));
        Assert.All(foreign, name => Assert.True(File.Exists(directory.File(name)), name));
    }

    [Fact]
    public void A_non_finite_first_monitored_value_is_stored_and_never_becomes_best()
    {
        // SGD at lr 1e38 with one batch per epoch: the first step blows the weights up, so the first validation loss is
        // not finite while the first training loss was.
        FitOptions options = TrainingFixtures.Options(epochs: 3) with
        {
            Optimizer = new SgdSettings { LearningRate = 1e38 },
            OutputDirectory = directory.Path,
        };
        using TinyCnn model = TinyCnn.Create(seed: 7);
        using Trainer trainer = new(model, TrainingFixtures.Batches(train, 48), TrainingFixtures.Batches(test, 16, shuffle: false), options);

        Exception? error = Record.Exception(() => trainer.Fit());

        Assert.True(error is null or NonFiniteLossException, error?.ToString());
        CheckpointState last = Checkpoint.ReadState(directory.File(CheckpointCallback.LastFileName));
        Assert.False(double.IsFinite(last.History[0].Validation!.Loss));
        Assert.Equal(0, trainer.Callbacks.OfType<CheckpointCallback>().Single().BestEpoch);
        Assert.False(File.Exists(directory.File(CheckpointCallback.BestFileName)));
    }

    [Fact]
    public void Non_finite_numbers_in_a_callbacks_state_are_stored_and_read_back()
    {
        using TinyCnn model = TinyCnn.Create(seed: 7);
        using (Trainer trainer = NewTrainer(model, TrainingFixtures.Options(epochs: 1) with { OutputDirectory = directory.Path }, new NonFiniteState()))
        {
            trainer.Fit();
        }

        JsonNode state = Checkpoint.ReadState(directory.File(CheckpointCallback.LastFileName)).Callbacks["non_finite"]!;
        var named = new JsonSerializerOptions { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
        Assert.Equal(double.PositiveInfinity, state["up"].Deserialize<double>(named));
        Assert.True(double.IsNaN(state["nan"].Deserialize<double>(named)));
    }

    [Fact]
    public void The_last_good_checkpoint_named_after_a_non_finite_loss_has_finite_weights_and_losses()
    {
        // lr 0.01, then 1e38 from epoch 2: epoch 2's weights are finite but huge and its validation loss is NaN, and
        // epoch 3's training loss is not finite.
        FitOptions options = TrainingFixtures.Options(epochs: 4) with
        {
            Optimizer = new SgdSettings { LearningRate = 0.01 },
            Schedule = new StepSchedule(StepSize: 1, Gamma: 1e40),
            OutputDirectory = directory.Path,
        };
        using TinyCnn model = TinyCnn.Create(seed: 7);
        using Trainer trainer = new(model, TrainingFixtures.Batches(train, 48), TrainingFixtures.Batches(test, 16, shuffle: false), options);

        var error = Assert.Throws<NonFiniteLossException>(() => trainer.Fit());

        string? named = new[] { CheckpointCallback.LastFileName, CheckpointCallback.BestFileName }
            .Select(directory.File).SingleOrDefault(path => error.Message.Contains($"'{path}'", StringComparison.Ordinal));
        Assert.True(named is not null, error.Message);
        using TinyCnn loaded = TinyCnn.Create(seed: 8);
        CheckpointState state = Checkpoint.LoadWeights(named, loaded);
        Assert.All(loaded.parameters(), p => Assert.True(isfinite(p).all().item<bool>()));
        Assert.True(double.IsFinite(state.History[^1].Train.Loss) && double.IsFinite(state.History[^1].Validation!.Loss));
    }

    [Theory]
    [InlineData("lr 1e43", "LearningRate")]
    [InlineData("lr NaN", "LearningRate")]
    [InlineData("lr -1", "LearningRate")]
    [InlineData("momentum -0.5", "Momentum")]
    [InlineData("beta1 1.5", "Beta1")]
    [InlineData("eps -1", "Eps")]
    [InlineData("weight decay -1", "WeightDecay")]
    [InlineData("clip 0", "GradientClipNorm")]
    [InlineData("patience 0", "Patience")]
    [InlineData("min delta NaN", "MinDelta")]
    public void Bad_hyperparameters_are_refused_up_front_naming_the_option(string setting, string option)
    {
        FitOptions options = TrainingFixtures.Options() with
        {
            Optimizer = setting switch
            {
                "lr 1e43" => new SgdSettings { LearningRate = 1e43 },
                "lr NaN" => new AdamSettings { LearningRate = double.NaN },
                "lr -1" => new AdamWSettings { LearningRate = -1 },
                "momentum -0.5" => new SgdSettings { Momentum = -0.5 },
                "beta1 1.5" => new AdamSettings { Beta1 = 1.5 },
                "eps -1" => new AdamSettings { Eps = -1 },
                "weight decay -1" => new SgdSettings { WeightDecay = -1 },
                _ => new AdamSettings(),
            },
            GradientClipNorm = setting == "clip 0" ? 0 : null,
            EarlyStopping = setting switch
            {
                "patience 0" => new EarlyStoppingOptions(Patience: 0),
                "min delta NaN" => new EarlyStoppingOptions(MinDelta: double.NaN),
                _ => null,
            },
        };
        using TinyCnn model = TinyCnn.Create(seed: 7);

        var error = Assert.ThrowsAny<ArgumentException>(() =>
        {
            using Trainer trainer = NewTrainer(model, options);
            trainer.Fit();
        });

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_libtorch_error_during_the_run_is_translated_naming_where_it_happened()
    {
        // From epoch 2 the schedule asks for lr 1e40, which libtorch cannot convert to float32.
        FitOptions options = TrainingFixtures.Options(epochs: 3) with
        {
            Optimizer = new SgdSettings { LearningRate = 0.01 },
            Schedule = new StepSchedule(StepSize: 1, Gamma: 1e42),
        };
        using TinyCnn model = TinyCnn.Create(seed: 7);
        using Trainer trainer = NewTrainer(model, options);

        var error = Assert.Throws<TrainingException>(() => trainer.Fit());

        Assert.Contains("epoch 2, training batch 1 of 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("learning rate 1E+40", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<System.Runtime.InteropServices.ExternalException>(error.InnerException);
    }

    [Fact]
    public void Resuming_a_finished_run_says_so_and_how_to_extend_it()
    {
        FitOptions options = TrainingFixtures.Options(epochs: 2) with { OutputDirectory = directory.Path };
        using (TinyCnn model = TinyCnn.Create(seed: 7))
        using (Trainer trainer = NewTrainer(model, options))
        {
            trainer.Fit();
        }

        using TinyCnn again = TinyCnn.Create(seed: 7);
        using Trainer resumed = NewTrainer(again, options);
        resumed.Resume(directory.File(CheckpointCallback.LastFileName));
        FitResult result = resumed.Fit();

        Assert.Equal(2, result.History.Epochs.Count);
        Assert.Contains("already finished", result.StopReason, StringComparison.Ordinal);
        Assert.Contains("Epochs", result.StopReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Resuming_a_run_that_early_stopping_ended_says_so_and_trains_nothing()
    {
        Reference reference = RunReference(EarlyStoppingRun);
        int epochs = reference.Result.History.Epochs.Count;

        using TinyCnn again = TinyCnn.Create(seed: 7, dropout: 0.5);
        using Trainer resumed = NewTrainer(again, EarlyStoppingRun with { OutputDirectory = reference.Directory });
        resumed.Resume(Path.Combine(reference.Directory, CheckpointCallback.LastFileName));
        FitResult result = resumed.Fit();

        Assert.Equal(epochs, result.History.Epochs.Count);
        Assert.Contains("already stopped", result.StopReason, StringComparison.Ordinal);
        Assert.Contains("Patience", result.StopReason, StringComparison.Ordinal);
    }

    private Reference RunReference(FitOptions options)
    {
        string run = directory.File("reference");
        if (Directory.Exists(run))
        {
            Directory.Delete(run, recursive: true);
        }

        using TinyCnn model = TinyCnn.Create(seed: 7, dropout: 0.5);
        using Trainer trainer = NewTrainer(model, options with { OutputDirectory = run });
        FitResult result = trainer.Fit();
        EarlyStoppingCallback stopping = trainer.Callbacks.OfType<EarlyStoppingCallback>().Single();
        output.WriteLine(string.Join("\n", result.History.Epochs.Select(e => $"{e.Epoch}: val {e.Validation!.Loss:G6}")));
        return new Reference(run, result, stopping.BestEpoch, stopping.RestoredEpoch, TrainingFixtures.Weights(model));
    }

    private Resumed Resume(FitOptions options)
    {
        using TinyCnn model = TinyCnn.Create(seed: 99, dropout: 0.5);
        using Trainer trainer = NewTrainer(model, options);
        trainer.Resume(Path.Combine(options.OutputDirectory!, CheckpointCallback.LastFileName));
        FitResult result = trainer.Fit();
        return new Resumed(result, trainer.Callbacks.OfType<EarlyStoppingCallback>().Single().RestoredEpoch, TrainingFixtures.Weights(model));
    }

    private static void AssertSameOutcome(Reference reference, Resumed resumed, string what)
    {
        Assert.True(reference.Result.StopReason == resumed.Result.StopReason, $"{what}: stop reason '{resumed.Result.StopReason}', expected '{reference.Result.StopReason}'");
        Assert.True(reference.RestoredEpoch == resumed.RestoredEpoch, $"{what}: restored epoch {resumed.RestoredEpoch}, expected {reference.RestoredEpoch}");
        Assert.Equal(reference.Result.History.Epochs.Select(e => e.Validation!.Loss), resumed.Result.History.Epochs.Select(e => e.Validation!.Loss));
        Assert.All(reference.Weights, pair => Assert.True(pair.Value.SequenceEqual(resumed.Weights[pair.Key]), $"{what}: {pair.Key} differs"));
    }

    private void AssertHistoryFilesHold(CheckpointState checkpoint)
    {
        TrainingHistory json = TrainingHistory.FromJson(File.ReadAllText(directory.File("history.json")));
        string[] csv = File.ReadAllLines(directory.File("history.csv"));
        Assert.Equal(checkpoint.History.Select(e => e.Epoch), json.Epochs.Select(e => e.Epoch));
        Assert.Equal(checkpoint.History.Select(e => e.Train.Loss), json.Epochs.Select(e => e.Train.Loss));
        Assert.Equal(new TrainingHistory(checkpoint.History).ToCsv(), string.Join('\n', csv) + "\n");
    }

    /// <summary>Runs <see cref="FaultChildProcess"/> and SIGKILLs it where it waits; at most three minutes.</summary>
    private static void KillChild(string run, string mode, int epoch)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(dotnet, ["exec", typeof(FaultChildProcess).Assembly.Location, "fault-child", run, mode, epoch.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {dotnet}");
        Task<string> errors = child.StandardError.ReadToEndAsync();
        Task<bool> ready = Task.Run(() =>
        {
            while (child.StandardOutput.ReadLine() is string line)
            {
                if (line == FaultChildProcess.Ready)
                {
                    return true;
                }
            }

            return false;
        });
        bool arrived = ready.Wait(TimeSpan.FromMinutes(3)) && ready.Result;
        child.Kill(entireProcessTree: true);
        child.WaitForExit();
        Assert.True(arrived, $"the child did not reach the kill point: {errors.Result}");
    }

    private Trainer NewTrainer(TinyCnn model, FitOptions options, params TrainerCallback[] callbacks) =>
        new(model, TrainingFixtures.Batches(train, 16), TrainingFixtures.Batches(test, 16, shuffle: false), options, callbacks);

    private sealed record Reference(string Directory, FitResult Result, int BestEpoch, int RestoredEpoch, System.Collections.Generic.Dictionary<string, float[]> Weights);

    private sealed record Resumed(FitResult Result, int RestoredEpoch, System.Collections.Generic.Dictionary<string, float[]> Weights);

    /// <summary>A callback whose state holds values JSON has no number for.</summary>
    private sealed class NonFiniteState : TrainerCallback, IStatefulCallback
    {
        public string StateKey => "non_finite";

        public JsonNode SaveState() => new JsonObject { ["up"] = double.PositiveInfinity, ["nan"] = double.NaN };

        public void LoadState(JsonNode state)
        {
        }
    }

    /// <summary>Where the process dies.</summary>
    private sealed class SimulatedKill : Exception
    {
        public SimulatedKill()
            : base("killed")
        {
        }
    }

    /// <summary>Passes a budget of bytes through, then dies (<see cref="SimulatedKill"/>) or reports a full disk.</summary>
    private class FullDiskStream(Stream inner, long failAfterBytes) : Stream
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
                throw Failure();
            }

            inner.Write(buffer, offset, count);
            written += count;
        }

        protected virtual Exception Failure() => new IOException("disk full");
    }

    private sealed class DyingStream(Stream inner, long failAfterBytes) : FullDiskStream(inner, failAfterBytes)
    {
        protected override Exception Failure() => new SimulatedKill();
    }
}
