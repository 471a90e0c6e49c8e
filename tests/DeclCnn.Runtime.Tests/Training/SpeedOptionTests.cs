using System;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Tests.Data;
using DeclCnn.Runtime.Training;
using DeclCnn.Runtime.Training.Callbacks;
using Xunit;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Tests.Training;

/// <summary>
/// The options that change how fast a step runs, not what it computes (docs/benchmarks.md, "Levers tried"): each
/// trains the same model from the same seed with and without the option and compares the weights.
/// </summary>
public sealed class SpeedOptionTests : IDisposable
{
    private readonly ImageDataset train = Synthetic.Random(48, channels: 3, side: 8, seed: 1);
    private readonly ImageDataset test = Synthetic.Random(16, channels: 3, side: 8, seed: 2);

    public void Dispose()
    {
        train.Dispose();
        test.Dispose();
    }

    [Fact]
    public void Gradients_set_to_none_train_the_same_weights_as_zeroed_gradients()
    {
        using var zeroed = ConvNet();
        using var freed = ConvNet();

        FitResult reference = Fit(zeroed, TrainingFixtures.Options(epochs: 2) with { SetGradientsToNone = false });
        FitResult result = Fit(freed, TrainingFixtures.Options(epochs: 2) with { SetGradientsToNone = true });

        // 0 + g is g: the backward pass writes the same gradients either way.
        AssertSameWeights(zeroed, freed, relativeTolerance: 0);
        Assert.Equal(reference.Last.Train.Loss, result.Last.Train.Loss);
    }

    [Fact]
    public void With_gradients_set_to_none_a_parameter_without_a_gradient_is_skipped_not_stepped_with_zeros()
    {
        // Adam moves a parameter whose gradient is zero (its moments are not), and leaves one without a gradient alone.
        Tensor ExtraWeightsAfterTraining(bool setToNone, out Tensor afterFirstStep)
        {
            using var model = new FirstStepBranch();
            Tensor? first = null;
            var probe = new Probe
            {
                OnBeforeBatch = t => model.UseBranch = t.StepCount == 0,
                OnAfterBatch = t => first ??= t.StepCount == 1 ? Copy(model.Branch.weight!).DetachFromDisposeScope() : null,
            };
            Fit(model, TrainingFixtures.Options() with { SetGradientsToNone = setToNone }, probe);
            afterFirstStep = first!;
            return Copy(model.Branch.weight!);
        }

        using Tensor zeroed = ExtraWeightsAfterTraining(setToNone: false, out Tensor zeroedFirst);
        using Tensor freed = ExtraWeightsAfterTraining(setToNone: true, out Tensor freedFirst);

        Assert.True(zeroedFirst.eq(freedFirst).all().item<bool>());
        Assert.False(zeroed.eq(zeroedFirst).all().item<bool>());
        Assert.True(freed.eq(freedFirst).all().item<bool>());
        zeroedFirst.Dispose();
        freedFirst.Dispose();
    }

    [Fact]
    public void Checking_the_loss_once_per_pass_trains_the_same_weights_and_metrics()
    {
        using var everyStep = ConvNet();
        using var oncePerPass = ConvNet();
        double? read = null;
        var probe = new Probe { OnAfterBatch = t => read ??= t.Batch.IsTraining ? t.Batch.LossValue : null };

        FitResult reference = Fit(everyStep, TrainingFixtures.Options(epochs: 2) with { CheckLossEveryStep = true });
        FitResult result = Fit(oncePerPass, TrainingFixtures.Options(epochs: 2) with { CheckLossEveryStep = false }, probe);

        AssertSameWeights(everyStep, oncePerPass, relativeTolerance: 0);
        Assert.Equal(reference.Last.Train.Loss, result.Last.Train.Loss);
        Assert.Equal(reference.Last.Validation!.Loss, result.Last.Validation!.Loss);
        Assert.Equal(reference.Last.Validation.Top1, result.Last.Validation.Top1);
        // A callback can still read a batch's loss as a number: on demand.
        Assert.True(read is > 0 and < 10, $"{read}");
    }

    [Fact]
    public void A_nan_loss_with_the_per_pass_check_stops_at_the_end_of_the_training_pass_before_validation()
    {
        using var model = ConvNet();
        bool validated = false;
        var poison = new Probe(order: -1)
        {
            OnBeforeBatch = t =>
            {
                if (t.Batch.IsTraining && t.Batch.Index == 1)
                {
                    using var noGrad = no_grad();
                    t.Model.parameters().First().fill_(float.NaN);
                }
            },
            OnAfterBatch = t => validated |= !t.Batch.IsTraining,
        };

        var error = Assert.Throws<NonFiniteLossException>(() => Fit(model, TrainingFixtures.Options() with { CheckLossEveryStep = false }, poison));

        Assert.Contains("2 training loss(es) of epoch 1 were NaN or infinite", error.Message, StringComparison.Ordinal);
        Assert.Contains("CheckLossEveryStep is false", error.Message, StringComparison.Ordinal);
        Assert.False(validated);
    }

    [Fact]
    public void Channels_last_on_the_cpu_trains_the_same_weights_up_to_float_rounding()
    {
        using var standard = ConvNet();
        using var packed = ConvNet();
        bool fedChannelsLast = false;
        var probe = new Probe { OnAfterBatch = t => fedChannelsLast |= ChannelsLast.IsChannelsLast(t.Batch.Images!) };

        FitResult reference = Fit(standard, TrainingFixtures.Options(epochs: 2) with { ChannelsLast = false });
        FitResult result = Fit(packed, TrainingFixtures.Options(epochs: 2) with { ChannelsLast = true }, probe);

        Assert.True(fedChannelsLast);
        Assert.True(ChannelsLast.IsChannelsLast(packed.get_parameter("conv.weight")!));
        Assert.Empty(DevicePlan.For(CPU, new FitOptions { ChannelsLast = true }).Notes);
        AssertSameWeights(standard, packed, relativeTolerance: 1e-4);
        Assert.Equal(reference.Last.Validation!.Loss, result.Last.Validation!.Loss, 4);
    }

    [Fact]
    public void The_loss_value_is_read_once_on_demand_and_not_before_the_loss_exists()
    {
        var values = new double[2];
        Exception? early = null;
        var probe = new Probe
        {
            OnBeforeBatch = t => early ??= Record.Exception(() => t.Batch.LossValue),
            OnAfterLoss = t =>
            {
                values[0] = t.Batch.LossValue;
                values[1] = t.Batch.Loss!.item<float>();
            },
        };
        using var model = ConvNet();

        Fit(model, TrainingFixtures.Options(), probe);

        Assert.IsType<InvalidOperationException>(early);
        Assert.Contains("before the batch's loss is computed", early.Message, StringComparison.Ordinal);
        Assert.Equal(values[1], values[0]);
    }

    private static Tensor Copy(Tensor weight)
    {
        using Tensor detached = weight.detach();
        return detached.clone();
    }

    private static void AssertSameWeights(nn.Module expected, nn.Module actual, double relativeTolerance)
    {
        var actualWeights = actual.state_dict();
        foreach (var (name, value) in expected.state_dict())
        {
            using var scope = NewDisposeScope();
            Tensor other = actualWeights[name];
            if (!value.is_floating_point())
            {
                Assert.True(value.eq(other).all().item<bool>(), name);
                continue;
            }

            double largest = value.abs().max().item<float>();
            double difference = (value - other).abs().max().item<float>();
            Assert.True(difference <= relativeTolerance * largest, $"{name}: largest difference {difference:G3} at scale {largest:G3}");
        }
    }

    /// <summary>
    /// One convolution over 3-channel images, so channels-last changes the layout of its input and weight. (A second
    /// convolution would add a backward pass to the first's output: with 8 or 16 channels there, libtorch 2.10's CPU
    /// kernels gave NaN gradients now and then on this machine, in a plain TorchSharp loop too.)
    /// </summary>
    private static nn.Module<Tensor, Tensor> ConvNet()
    {
        manual_seed(11);
        return nn.Sequential(
            ("conv", nn.Conv2d(3, 16, 3, padding: 1)),
            ("relu", nn.ReLU()),
            ("flatten", nn.Flatten()),
            ("fc", nn.Linear(16 * 8 * 8, 10)));
    }

    private FitResult Fit(nn.Module<Tensor, Tensor> model, FitOptions options, params TrainerCallback[] callbacks)
    {
        using var trainer = new Trainer(model, TrainingFixtures.Batches(train, 16), TrainingFixtures.Batches(test, 16, shuffle: false), options, callbacks);
        return trainer.Fit();
    }

    /// <summary>A linear classifier with a second linear branch that is added to the logits only while <see cref="UseBranch"/> is set.</summary>
    private sealed class FirstStepBranch : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Linear main;
        private readonly TorchSharp.Modules.Linear branch;

        public FirstStepBranch()
            : base(nameof(FirstStepBranch))
        {
            manual_seed(5);
            main = nn.Linear(3 * 8 * 8, 10);
            branch = nn.Linear(3 * 8 * 8, 10);
            RegisterComponents();
        }

        public TorchSharp.Modules.Linear Branch => branch;

        public bool UseBranch { get; set; }

        public override Tensor forward(Tensor input)
        {
            using Tensor flat = input.flatten(1);
            if (!UseBranch)
            {
                return main.forward(flat);
            }

            using Tensor logits = main.forward(flat);
            using Tensor added = branch.forward(flat);
            return logits + added;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                main.Dispose();
                branch.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
