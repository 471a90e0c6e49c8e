using System;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Training;
using DeclCnn.Runtime.Training.Callbacks;

namespace DeclCnn.Runtime.Tests.Training;

/// <summary>
/// The test assembly's entry point, used only as the child process of the kill tests: it runs the early-stopping
/// training of <see cref="FaultToleranceTests"/> and, at the point it is told, prints <see cref="Ready"/> and waits
/// for the parent to kill it (SIGKILL), so the kill lands at an exact place without a race.
/// </summary>
internal static class FaultChildProcess
{
    /// <summary>The line the child prints where it waits to be killed.</summary>
    public const string Ready = "ready to be killed";

    /// <summary>Kill after the first training batch of the epoch.</summary>
    public const string AfterFirstBatch = "after-first-batch";

    /// <summary>Kill after the first 300 bytes of the epoch's best.ckpt temporary file.</summary>
    public const string DuringBestWrite = "during-best-write";

    /// <summary><c>fault-child &lt;directory&gt; &lt;mode&gt; &lt;epoch&gt;</c>.</summary>
    public static int Main(string[] args)
    {
        if (args is not ["fault-child", string directory, string mode, string epochText] || !int.TryParse(epochText, out int epoch))
        {
            Console.Error.WriteLine("usage: fault-child <directory> <after-first-batch|during-best-write> <epoch>");
            return 2;
        }

        int writes = 0;
        var killPoint = new Probe(order: TrainerCallback.Orders.Checkpoint - 1)
        {
            OnAfterBatch = t =>
            {
                if (mode == AfterFirstBatch && t.Epoch == epoch && t.Batch.IsTraining && t.Batch.Index == 0)
                {
                    WaitToBeKilled();
                }
            },
            OnAfterEpoch = t =>
            {
                if (mode == DuringBestWrite && t.Epoch == epoch)
                {
                    t.Callbacks.OfType<CheckpointCallback>().Single().Wrap = stream => ++writes == 2 ? new StoppingStream(stream, 300) : stream;
                }
            },
        };
        using var train = TrainingFixtures.Bars(48, seed: 1);
        using var test = TrainingFixtures.Bars(16, seed: 2);
        using TinyCnn model = TinyCnn.Create(seed: 7, dropout: 0.5);
        using var trainer = new Trainer(
            model, TrainingFixtures.Batches(train, 16), TrainingFixtures.Batches(test, 16, shuffle: false), FaultToleranceTests.EarlyStoppingRun with { OutputDirectory = directory }, [killPoint]);
        trainer.Fit();
        Console.Error.WriteLine($"the run ended before the kill point ({mode}, epoch {epoch})");
        return 1;
    }

    private static void WaitToBeKilled()
    {
        Console.Out.WriteLine(Ready);
        Console.Out.Flush();
        Console.In.ReadLine();
        Environment.Exit(3);
    }

    /// <summary>Passes a budget of bytes through to the file, then waits to be killed with the write unfinished.</summary>
    private sealed class StoppingStream(Stream inner, long budget) : Stream
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
            if (written + count > budget)
            {
                inner.Write(buffer, offset, (int)(budget - written));
                inner.Flush();
                WaitToBeKilled();
            }

            inner.Write(buffer, offset, count);
            written += count;
        }
    }
}
