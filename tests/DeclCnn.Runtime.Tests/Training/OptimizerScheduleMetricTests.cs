using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Tests.Data;
using DeclCnn.Runtime.Training;
using DeclCnn.Runtime.Training.Reporting;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Training;

public sealed class OptimizerScheduleMetricTests
{
    public OptimizerScheduleMetricTests() => Synthetic.EnsureTorch();

    [Theory]
    [InlineData(false, 0.9)]   // v = g = 1; p = 1 - 0.1 * 1
    [InlineData(true, 0.81)]   // Nesterov: p = 1 - 0.1 * (g + 0.9 v) = 1 - 0.19
    public void Sgd_momentum_and_Nesterov_follow_PyTorch(bool nesterov, double expected)
    {
        double p = Step(new SgdSettings { LearningRate = 0.1, Momentum = 0.9, Nesterov = nesterov }, 1.0, x => x.pow(2).div(2));

        Assert.Equal(expected, p, 6);
    }

    [Fact]
    public void Sgd_weight_decay_adds_to_the_gradient()
    {
        // loss 0: the gradient is only the decay term wd * p = 0.5 * 2.
        double p = Step(new SgdSettings { LearningRate = 0.1, WeightDecay = 0.5 }, 2.0, x => x.mul(0));

        Assert.Equal(2.0 - 0.1 * 1.0, p, 6);
    }

    [Fact]
    public void Nesterov_without_momentum_is_rejected()
    {
        using var parameter = new Parameter(tensor(1f));

        Assert.Throws<ArgumentException>(() => new SgdSettings { Nesterov = true }.Create([parameter]));
    }

    [Fact]
    public void AdamW_decouples_weight_decay_and_Adam_does_not()
    {
        // Zero loss gradient: AdamW only shrinks p by lr * wd * p; Adam's L2 term becomes a normalized step of lr.
        double adamW = Step(new AdamWSettings { LearningRate = 0.1, WeightDecay = 0.5 }, 4.0, x => x.mul(0));
        double adam = Step(new AdamSettings { LearningRate = 0.1, WeightDecay = 0.5 }, 4.0, x => x.mul(0));

        Assert.Equal(4.0 * (1 - 0.1 * 0.5), adamW, 5);
        Assert.Equal(4.0 - 0.1, adam, 5);
    }

    [Fact]
    public void Amsgrad_betas_and_eps_reach_the_optimizer()
    {
        // A large then a small gradient: AMSGrad keeps the large second moment, so its second step is smaller.
        double[] scales = [10, 0.1, 0.1];
        double plain = Step(new AdamSettings { LearningRate = 0.1 }, 1.0, scales);
        double amsgrad = Step(new AdamSettings { LearningRate = 0.1, Amsgrad = true }, 1.0, scales);
        double bigEps = Step(new AdamSettings { LearningRate = 0.1, Eps = 10 }, 1.0, scales);
        double slowBeta = Step(new AdamSettings { LearningRate = 0.1, Beta1 = 0.0 }, 1.0, scales);

        Assert.True(amsgrad > plain, $"amsgrad {amsgrad} vs plain {plain}");
        Assert.True(bigEps > plain, $"eps 10 {bigEps} vs plain {plain}");
        Assert.NotEqual(plain, slowBeta, 6);
    }

    [Fact]
    public void Step_and_exponential_schedules_decay_per_epoch()
    {
        ILearningRateScheduler step = new StepSchedule(2, 0.5).Start(1.0, 6, 10);
        ILearningRateScheduler exponential = new ExponentialSchedule().Start(1.0, 6, 10);

        Assert.Equal(new[] { 1, 1, 0.5, 0.5, 0.25, 0.25 }, Enumerable.Range(0, 6).Select(e => step.LearningRate(e, 0)));
        Assert.Equal(Enumerable.Range(0, 6).Select(e => Math.Pow(0.96, e)), Enumerable.Range(0, 6).Select(e => exponential.LearningRate(e, 0)));
        Assert.Equal(ScheduleInterval.Epoch, new ExponentialSchedule().Interval);
    }

    [Fact]
    public void Cosine_warms_up_linearly_then_anneals_to_the_minimum()
    {
        ILearningRateScheduler cosine = new CosineSchedule(WarmupEpochs: 1, MinLearningRate: 0.01).Start(1.0, 3, 4);

        double[] rates = Enumerable.Range(0, 3).SelectMany(e => Enumerable.Range(0, 4).Select(b => cosine.LearningRate(e, b))).ToArray();

        Assert.Equal(new[] { 0.25, 0.5, 0.75, 1.0 }, rates[..4]);
        Assert.Equal(1.0, rates[4], 10);
        Assert.Equal(0.01, rates[^1], 10);
        Assert.True(rates[4..].Zip(rates[5..]).All(p => p.First > p.Second), string.Join(", ", rates));
        Assert.Equal(ScheduleInterval.Batch, new CosineSchedule().Interval);
    }

    [Fact]
    public void One_cycle_rises_to_the_base_rate_then_falls_far_below_the_start()
    {
        ILearningRateScheduler cycle = new OneCycleSchedule(WarmupFraction: 0.25).Start(1.0, 2, 10);

        double[] rates = Enumerable.Range(0, 2).SelectMany(e => Enumerable.Range(0, 10).Select(b => cycle.LearningRate(e, b))).ToArray();

        Assert.Equal(1.0 / 25, rates[0], 10);
        Assert.Equal(1.0, rates.Max(), 2);
        Assert.InRange(Array.IndexOf(rates, rates.Max()), 3, 5);
        Assert.Equal(1.0 / 25 / 1e4, rates[^1], 10);
    }

    [Fact]
    public void Reduce_on_plateau_waits_for_patience_then_cuts_and_keeps_its_state()
    {
        var settings = new ReduceOnPlateauSchedule("val_loss", Factor: 0.5, Patience: 1, MinLearningRate: 0.2);
        ILearningRateScheduler plateau = settings.Start(1.0, 10, 5);
        var rates = new List<double>();
        foreach (double loss in new[] { 1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95 })
        {
            plateau.EndEpoch(Record(loss));
            rates.Add(plateau.LearningRate(0, 0));
        }

        Assert.Equal(new[] { 1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.2 }, rates);
        ILearningRateScheduler restored = settings.Start(1.0, 10, 5);
        restored.LoadState(plateau.SaveState()!);
        Assert.Equal(0.2, restored.LearningRate(0, 0));
    }

    [Fact]
    public void Metric_accumulator_counts_top1_top5_per_class_and_confusion()
    {
        using var accumulator = new MetricAccumulator(6, 5, CPU);
        using var scope = NewDisposeScope();
        // Six classes; rows are images. Image 0 (label 0): class 0 highest. Image 1 (label 1): class 1 ranks 6th.
        // Image 2 (label 2): class 2 ranks 2nd.
        var logits = tensor(new float[,]
        {
            { 9, 1, 2, 3, 4, 5 },
            { 9, 0, 2, 3, 4, 5 },
            { 9, 1, 8, 3, 4, 5 },
        });
        var labels = tensor(new long[] { 0, 1, 2 });

        accumulator.Add(logits, labels, meanLoss: tensor(2.0f));
        accumulator.Add(logits.narrow(0, 0, 1), labels.narrow(0, 0, 1), meanLoss: tensor(5.0f));
        ClassificationMetrics result = accumulator.Result();

        Assert.Equal(4, result.Images);
        Assert.Equal((2.0 * 3 + 5.0) / 4, result.Loss, 10);
        Assert.Equal(2.0 / 4, result.Top1, 10);
        Assert.Equal(3.0 / 4, result.TopK!.Value, 10);
        Assert.Equal(5, result.K);
        Assert.Equal(new[] { 1.0, 0.0, 0.0 }, result.PerClassAccuracy.Take(3));
        Assert.True(double.IsNaN(result.PerClassAccuracy[5]));
        Assert.Equal(new long[] { 2, 0, 0, 0, 0, 0 }, result.ConfusionMatrix[0]);
        Assert.Equal(new long[] { 1, 0, 0, 0, 0, 0 }, result.ConfusionMatrix[1]);
        Assert.Equal(new long[] { 1, 0, 0, 0, 0, 0 }, result.ConfusionMatrix[2]);
    }

    [Fact]
    public void Top_k_uses_the_configured_k_and_is_reported_only_with_more_than_k_classes()
    {
        using var scope = NewDisposeScope();
        // Image 0 (label 0) ranks its class 1st, image 1 (label 1) 6th, image 2 (label 2) 2nd.
        var logits = tensor(new float[,] { { 9, 1, 2, 3, 4, 5 }, { 9, 0, 2, 3, 4, 5 }, { 9, 1, 8, 3, 4, 5 } });
        var labels = tensor(new long[] { 0, 1, 2 });
        using var top2 = new MetricAccumulator(6, 2, CPU);
        using var top6 = new MetricAccumulator(6, 6, CPU);
        top2.Add(logits, labels, meanLoss: tensor(1.0f));
        top6.Add(logits, labels, meanLoss: tensor(1.0f));

        ClassificationMetrics two = top2.Result();
        ClassificationMetrics six = top6.Result();

        Assert.Equal(2.0 / 3, two.TopK!.Value, 10);
        Assert.Equal(2, two.K);
        Assert.Null(six.TopK);
        var measured = new EpochRecord(1, 0.1, two, two, null, 100, 1, new Dictionary<string, double>());
        var unmeasured = measured with { Train = six, Validation = six };
        Assert.Contains("top-2 66.67 %", measured.ToString(), StringComparison.Ordinal);
        Assert.Equal(2.0 / 3, measured.Get("val_top2"), 10);
        Assert.DoesNotContain("top-6", unmeasured.ToString(), StringComparison.Ordinal);
        Assert.Throws<KeyNotFoundException>(() => unmeasured.Get("val_top6"));
        Assert.Contains(TensorBoardCallback.Scalars(measured), pair => pair.Key == "top2/val");
        Assert.DoesNotContain(TensorBoardCallback.Scalars(unmeasured), pair => pair.Key.StartsWith("top6", StringComparison.Ordinal));
        Assert.Contains("val_top2", new TrainingHistory([measured]).ToCsv().Split('\n')[0], StringComparison.Ordinal);
        Assert.DoesNotContain("top6", new TrainingHistory([unmeasured]).ToCsv(), StringComparison.Ordinal);
        var error = Assert.Throws<ArgumentException>(() => new FitOptions { TopK = 1 }.Validate());
        Assert.Contains("TopK", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Class_reports_name_the_classes_and_quote_names_with_commas()
    {
        var metrics = new ClassificationMetrics(0.5, 0.75, null, 5, 4, [0.5, 1.0, double.NaN], [[1, 1, 0], [0, 2, 0], [0, 0, 0]]);
        string[] names = ["T-shirt/top", "Bag, small", "Coat"];

        Assert.Equal("class,accuracy,images\nT-shirt/top,0.5,2\n\"Bag, small\",1,2\nCoat,,0\n", ClassReport.PerClassCsv(names, metrics));
        Assert.Equal("true\\predicted,T-shirt/top,\"Bag, small\",Coat\nT-shirt/top,1,1,0\n\"Bag, small\",0,2,0\nCoat,0,0,0\n", ClassReport.ConfusionCsv(names, metrics));
        Assert.Throws<ArgumentException>(() => ClassReport.PerClassCsv(["one"], metrics));
    }

    [Fact]
    public void History_round_trips_through_json_and_writes_csv_with_per_class_columns()
    {
        var history = new TrainingHistory([Record(0.5, epoch: 1), Record(0.25, epoch: 2) with { Extra = new Dictionary<string, double> { ["custom"] = 7 } }]);
        using var directory = new TempDirectory();

        history.Save(directory.Path);
        TrainingHistory read = TrainingHistory.FromJson(File.ReadAllText(directory.File("history.json")));
        string[] csv = File.ReadAllLines(directory.File("history.csv"));

        Assert.Equal(history.Epochs.Select(e => e.Validation!.Loss), read.Epochs.Select(e => e.Validation!.Loss));
        Assert.Equal(history.Epochs[1].Validation!.ConfusionMatrix.SelectMany(r => r), read.Epochs[1].Validation!.ConfusionMatrix.SelectMany(r => r));
        Assert.Equal(7, read.Epochs[1].Get("custom"));
        Assert.Equal("epoch,lr,train_loss,train_top1,val_loss,val_top1,grad_norm,images_per_s,seconds,val_class_0,val_class_1,custom", csv[0]);
        Assert.Equal("2,0.1,0.25,0.75,0.25,0.75,,100,2,0.5,1,7", csv[2]);
        Assert.Equal(3, csv.Length);
        Assert.Empty(Directory.GetFiles(directory.Path, "*.tmp"));
    }

    [Fact]
    public void Unknown_or_unmeasured_metrics_are_named_in_the_error()
    {
        EpochRecord record = Record(0.5) with { Validation = null };

        var error = Assert.Throws<KeyNotFoundException>(() => record.Get("val_loss"));

        Assert.Contains("'val_loss' was not measured", error.Message, StringComparison.Ordinal);
        Assert.Equal(0.5, record.Get("train_loss"));
    }

    internal static EpochRecord Record(double loss, int epoch = 1)
    {
        var metrics = new ClassificationMetrics(loss, 0.75, null, 5, 4, [0.5, 1.0], [[1, 1], [0, 2]]);
        return new EpochRecord(epoch, 0.1, metrics, metrics, null, 100, 2, new Dictionary<string, double>());
    }

    /// <summary>Runs one step per scale on a single parameter p with loss scale * p; returns p.</summary>
    private static double Step(OptimizerSettings settings, double start, double[] scales)
    {
        using var parameter = new Parameter(tensor((float)start));
        using var optimizer = settings.Create([parameter]);
        foreach (double scale in scales)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            parameter.mul(scale).backward();
            optimizer.step();
        }

        return parameter.item<float>();
    }

    /// <summary>One step on a single parameter with the given loss; returns p.</summary>
    private static double Step(OptimizerSettings settings, double start, Func<Tensor, Tensor> loss)
    {
        using var parameter = new Parameter(tensor((float)start));
        using var optimizer = settings.Create([parameter]);
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        loss(parameter).backward();
        optimizer.step();
        return parameter.item<float>();
    }
}
