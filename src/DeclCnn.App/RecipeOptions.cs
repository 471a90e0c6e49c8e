using System.CommandLine;
using System.Globalization;
using DeclCnn.Runtime.Training;

namespace DeclCnn.App;

/// <summary>The options of a training recipe, shared by <c>train</c> and <c>compare</c>; a preset's value fills each one not given.</summary>
internal sealed class RecipeOptions
{
    public RecipeOptions()
    {
        Optimizer.AcceptOnlyFromAmong("adam", "adamw", "sgd");
        Schedule.AcceptOnlyFromAmong("constant", "cosine", "onecycle");
        Commands.Positive(Epochs);
        Commands.Positive(BatchSize);
        Commands.NonNegative(LearningRate);
        Commands.NonNegative(WeightDecay);
        LabelSmoothing.Validators.Add(static result =>
        {
            if (Commands.Value<double?>(result) is { } value && !(value >= 0 && value < 1))
            {
                result.AddError($"--label-smoothing must be in [0, 1), but is {value.ToString(CultureInfo.InvariantCulture)}.");
            }
        });
    }

    public Option<string?> Data { get; } = Commands.DataOption();

    public Option<string?> DataRoot { get; } = Commands.DataRootOption();

    public Option<int?> Epochs { get; } = new("--epochs") { Description = "Epochs to train (default: the preset's, else 1)." };

    public Option<int?> BatchSize { get; } = new("--batch-size") { Description = "Training batch size (default: the preset's, else 64)." };

    public Option<string?> Optimizer { get; } = new("--optimizer") { Description = "adam (default), adamw or sgd (Nesterov momentum)." };

    public Option<double?> LearningRate { get; } = new("--lr") { Description = "Learning rate (default: the preset's, else 1e-3 for Adam and 0.1 for SGD)." };

    public Option<double?> WeightDecay { get; } = new("--weight-decay") { Description = "Weight decay (default 0, or the preset's)." };

    public Option<string?> Schedule { get; } = new("--schedule") { Description = "constant (default), cosine (to 0, per batch) or onecycle." };

    public Option<double?> LabelSmoothing { get; } = new("--label-smoothing") { Description = "Label smoothing of the cross-entropy loss, in [0, 1) (default 0)." };

    public Option<bool> Augment { get; } = new("--augment") { Description = "Augment the training batches: random crop, flip (not for digits), random erasing." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Data, DataRoot, Epochs, BatchSize, Optimizer, LearningRate, WeightDecay, Schedule, LabelSmoothing, Augment })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The recipe the command line asks for: each option given, else the preset's value, else the default.</summary>
    public Recipe Resolve(ParseResult parsed, IRecipePreset? preset) => new(
        parsed.GetValue(Data) ?? preset?.DataSet ?? "fashion-mnist",
        parsed.GetValue(DataRoot),
        parsed.GetValue(Epochs) ?? preset?.Epochs ?? 1,
        parsed.GetValue(BatchSize) ?? preset?.BatchSize ?? 64,
        OptimizerFrom(parsed.GetValue(Optimizer), parsed.GetValue(LearningRate), parsed.GetValue(WeightDecay), preset?.Optimizer),
        parsed.GetValue(Schedule) is { } schedule ? ScheduleFrom(schedule) : preset?.Schedule ?? new ConstantSchedule(),
        parsed.GetValue(LabelSmoothing) ?? preset?.LabelSmoothing ?? 0,
        parsed.GetValue(Augment) || (preset?.Augment ?? false));

    private static OptimizerSettings OptimizerFrom(string? name, double? learningRate, double? weightDecay, OptimizerSettings? preset)
    {
        OptimizerSettings chosen = name switch
        {
            "sgd" => new SgdSettings { LearningRate = 0.1, Momentum = 0.9, Nesterov = true },
            "adamw" => new AdamWSettings(),
            "adam" => new AdamSettings(),
            _ => preset ?? new AdamSettings(),
        };
        return chosen with { LearningRate = learningRate ?? chosen.LearningRate, WeightDecay = weightDecay ?? chosen.WeightDecay };
    }

    private static LearningRateSchedule ScheduleFrom(string name) => name switch
    {
        "cosine" => new CosineSchedule(),
        "onecycle" => new OneCycleSchedule(),
        _ => new ConstantSchedule(),
    };
}
