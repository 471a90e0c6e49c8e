using System;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using Spectre.Console;

namespace DeclCnn.Runtime.Training.Reporting;

/// <summary>How a <see cref="ProgressCallback"/> shows progress.</summary>
public enum ProgressDisplay
{
    /// <summary>A live bar on a terminal; plain lines when the output is redirected or the terminal has no ANSI support.</summary>
    Auto,

    /// <summary>A live Spectre.Console progress bar per epoch and per validation pass, redrawn in place.</summary>
    Live,

    /// <summary>Plain lines, a few per epoch: for logs, CI and redirected output.</summary>
    Plain,
}

/// <summary>
/// Shows the progress of a fit: on a terminal, a live Spectre.Console bar for the epoch's training batches (with the
/// running mean loss) and one for the validation pass; when the output is redirected (a file, a pipe, CI) or the
/// terminal lacks ANSI support, plain lines at every tenth of an epoch. Either way it writes each epoch's record
/// (<see cref="EpochRecord.ToString"/>) and why a run stopped early, so it replaces <see cref="Callbacks.LogCallback"/>.
/// </summary>
/// <remarks>
/// The live bar is drawn by Spectre.Console on a background thread; anything else writing to the console during the
/// fit would interleave with it, so let this callback do the writing. A plain line reads
/// <c>epoch 2/10: 30% (563/1875 batches), loss 0.3121, 5,210 images/s</c>. It reads every batch's loss
/// (<see cref="BatchState.LossValue"/>), which the trainer reads anyway unless <see cref="FitOptions.CheckLossEveryStep"/> is false.
/// </remarks>
public sealed class ProgressCallback : TrainerCallback, IDisposable
{
    private readonly TextWriter? plainOutput;
    private readonly IAnsiConsole? console;
    private readonly int plainUpdates;
    private readonly System.Diagnostics.Stopwatch clock = new();
    private TaskCompletionSource? liveDone;
    private Task? liveRun;
    private ProgressContext? context;
    private ProgressTask? task;
    private double lossSum;
    private long batches;
    private long images;
    private int nextPlainUpdate;
    private bool training;

    /// <summary>Shows progress on the console: live on a terminal, plain lines when redirected (see <see cref="Detect"/>).</summary>
    public ProgressCallback()
        : this(ProgressDisplay.Auto)
    {
    }

    /// <summary>Shows progress on the console, or on <paramref name="output"/>.</summary>
    /// <param name="display">
    /// <see cref="ProgressDisplay.Auto"/> decides with <see cref="Detect"/> for the console and picks plain lines for any
    /// other <paramref name="output"/>; <see cref="ProgressDisplay.Live"/> draws the bar even on <paramref name="output"/>
    /// (as a terminal would receive it, ANSI sequences included).
    /// </param>
    /// <param name="output">Where to write; null means the console.</param>
    /// <param name="plainUpdates">Plain progress lines per epoch (at every 1/<paramref name="plainUpdates"/> of its batches); 0 writes only the epoch records. Default: 10.</param>
    public ProgressCallback(ProgressDisplay display, TextWriter? output = null, int plainUpdates = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(plainUpdates);
        this.plainUpdates = plainUpdates;
        Display = display switch
        {
            ProgressDisplay.Auto when output is null => Detect(Console.IsOutputRedirected, AnsiConsole.Profile.Capabilities.Ansi, AnsiConsole.Profile.Capabilities.Interactive),
            ProgressDisplay.Auto => ProgressDisplay.Plain,
            _ => display,
        };
        if (Display == ProgressDisplay.Live)
        {
            console = output is null
                ? AnsiConsole.Console
                : AnsiConsole.Create(new AnsiConsoleSettings
                {
                    Ansi = AnsiSupport.Yes,
                    Interactive = InteractionSupport.Yes,
                    ColorSystem = ColorSystemSupport.Standard,
                    Out = new AnsiConsoleOutput(output),
                });
            // A writer has no width of its own; a wide one keeps the epoch records on one line each.
            if (output is not null)
            {
                console.Profile.Width = 200;
            }
        }
        else
        {
            plainOutput = output ?? Console.Out;
        }
    }

    /// <summary>The display in use: <see cref="ProgressDisplay.Live"/> or <see cref="ProgressDisplay.Plain"/>, never Auto.</summary>
    public ProgressDisplay Display { get; }

    /// <inheritdoc/>
    public override int Order => Orders.Reporting;

    /// <summary>
    /// The automatic choice: a live bar only when the output is a terminal (not redirected) that understands ANSI
    /// sequences and is interactive; plain lines otherwise.
    /// </summary>
    /// <param name="outputRedirected">Whether standard output is redirected (<see cref="Console.IsOutputRedirected"/>).</param>
    /// <param name="ansi">Whether the terminal supports ANSI escape sequences.</param>
    /// <param name="interactive">Whether the terminal is interactive.</param>
    /// <returns><see cref="ProgressDisplay.Live"/> or <see cref="ProgressDisplay.Plain"/>.</returns>
    public static ProgressDisplay Detect(bool outputRedirected, bool ansi, bool interactive) =>
        !outputRedirected && ansi && interactive ? ProgressDisplay.Live : ProgressDisplay.Plain;

    /// <inheritdoc/>
    public override void BeforeFit(Trainer trainer)
    {
        if (console is null)
        {
            return;
        }

        var started = new TaskCompletionSource<ProgressContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        liveDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource done = liveDone;
        liveRun = console.Progress()
            .AutoClear(false)
            // Finished passes stay as one line each (as Keras prints an epoch), and the final
            // render shows them all, however briefly a pass ran between two refreshes.
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(ctx =>
            {
                started.SetResult(ctx);
                return done.Task;
            });
        context = started.Task.GetAwaiter().GetResult();
    }

    /// <inheritdoc/>
    public override void BeforeEpoch(Trainer trainer) => StartPass(trainer, trainer.TrainBatches.BatchCount, training: true);

    /// <inheritdoc/>
    public override void BeforeValidation(Trainer trainer)
    {
        FinishPass();
        StartPass(trainer, trainer.ValidationBatches?.BatchCount ?? 0, training: false);
    }

    /// <inheritdoc/>
    public override void AfterBatch(Trainer trainer)
    {
        batches++;
        lossSum += trainer.Batch.LossValue;
        images += trainer.Batch.Labels?.shape[0] ?? 0;
        if (task is not null)
        {
            task.Increment(1);
            task.Description = Description(trainer);
        }
        else if (trainer.Batch.IsTraining && plainUpdates > 0 && nextPlainUpdate <= plainUpdates)
        {
            long total = trainer.TrainBatches.BatchCount;
            if (batches * plainUpdates >= nextPlainUpdate * total)
            {
                plainOutput!.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"epoch {trainer.Epoch}/{trainer.Options.Epochs}: {100.0 * batches / total:0}% ({batches}/{total} batches), loss {lossSum / batches:0.0000}, {images / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):N0} images/s"));
                while (nextPlainUpdate <= plainUpdates && batches * plainUpdates >= nextPlainUpdate * total)
                {
                    nextPlainUpdate++;
                }
            }
        }
    }

    /// <inheritdoc/>
    public override void AfterEpoch(Trainer trainer)
    {
        FinishPass();
        if (trainer.History.Last is { } record && record.Epoch == trainer.Epoch)
        {
            WriteLine(record.ToString());
        }
    }

    /// <inheritdoc/>
    public override void FitCancelled(Trainer trainer) => WriteLine($"stopped after epoch {trainer.History.Last?.Epoch ?? 0}: {trainer.StopReason}");

    /// <inheritdoc/>
    public override void AfterFit(Trainer trainer) => StopLive();

    /// <summary>Stops the live display if a fit ended by an exception (the trainer disposes its callbacks).</summary>
    public void Dispose() => StopLive();

    private void StartPass(Trainer trainer, long total, bool training)
    {
        this.training = training;
        batches = 0;
        lossSum = 0;
        images = 0;
        nextPlainUpdate = 1;
        clock.Restart();
        if (context is not null)
        {
            task = context.AddTask(Description(trainer), autoStart: true, maxValue: Math.Max(total, 1));
        }
    }

    private void FinishPass()
    {
        if (task is not null)
        {
            task.Value = task.MaxValue;
            task.StopTask();
            task = null;
        }
    }

    private string Description(Trainer trainer)
    {
        string pass = training ? $"epoch {trainer.Epoch}/{trainer.Options.Epochs}" : $"  validation {trainer.Epoch}";
        return batches == 0 ? Markup.Escape(pass) : Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{pass}  loss {lossSum / batches:0.0000}"));
    }

    private void WriteLine(string line)
    {
        if (console is not null)
        {
            console.WriteLine(line);
        }
        else
        {
            plainOutput!.WriteLine(line);
        }
    }

    private void StopLive()
    {
        FinishPass();
        if (liveDone is null)
        {
            return;
        }

        liveDone.TrySetResult();
        liveRun?.GetAwaiter().GetResult();
        liveDone = null;
        liveRun = null;
        context = null;
    }
}
