using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeclCnn.Runtime.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Training;

/// <summary>What a checkpoint holds besides the weights and the optimizer state.</summary>
/// <param name="Epoch">The last finished epoch.</param>
/// <param name="StepCount">Optimizer steps taken up to then.</param>
/// <param name="History">The records of epochs 1 to <paramref name="Epoch"/>.</param>
/// <param name="Scheduler">The scheduler's state, or null for position-only schedules.</param>
/// <param name="Callbacks">Stateful callbacks' states by <see cref="IStatefulCallback.StateKey"/>.</param>
/// <param name="RngState">torch's CPU generator state after the epoch.</param>
/// <param name="ModelType">The model's .NET type name, for messages.</param>
public sealed record CheckpointState(
    int Epoch,
    long StepCount,
    IReadOnlyList<EpochRecord> History,
    JsonNode? Scheduler,
    IReadOnlyDictionary<string, JsonNode?> Callbacks,
    byte[] RngState,
    string ModelType);

/// <summary>
/// The checkpoint file: the magic <c>DCNNCKPT</c>, a format version, a JSON header (epoch, step count, history,
/// scheduler and callback state, model type), torch's generator state, the model's state dict (TorchSharp's
/// <c>Module.save</c> format) and the optimizer's state (<c>save_state_dict</c>). Files are written atomically:
/// to a temporary file beside the target, flushed to disk, then renamed over it, so a crash or a full disk during
/// a save leaves the previous checkpoint whole.
/// </summary>
public static class Checkpoint
{
    /// <summary>The format version this code writes and reads.</summary>
    public const int FormatVersion = 1;

    private static readonly byte[] Magic = "DCNNCKPT"u8.ToArray();

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes the trainer's state at the end of its current epoch to <paramref name="path"/>, atomically.</summary>
    /// <param name="trainer">The trainer, after its epoch's record was added to the history.</param>
    /// <param name="path">The checkpoint file.</param>
    public static void Save(Trainer trainer, string path) => Save(trainer, path, static stream => stream);

    /// <summary>As <see cref="Save(Trainer, string)"/>, writing through <paramref name="wrap"/> (tests inject failing streams).</summary>
    internal static void Save(Trainer trainer, string path, Func<Stream, Stream> wrap)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(path);
        var header = new JsonObject
        {
            ["format"] = FormatVersion,
            ["epoch"] = trainer.History.Last?.Epoch ?? 0,
            ["step_count"] = trainer.StepCount,
            ["model_type"] = trainer.Model.GetType().FullName,
            ["optimizer"] = trainer.Options.Optimizer.GetType().Name,
            ["history"] = JsonSerializer.SerializeToNode(trainer.History.Epochs, JsonOptions),
            ["scheduler"] = trainer.Scheduler.SaveState(),
            ["callbacks"] = new JsonObject(trainer.Callbacks.OfType<IStatefulCallback>()
                .Select(c => KeyValuePair.Create(c.StateKey, c.SaveState()))),
        };
        byte[] rng;
        using (Tensor state = get_rng_state())
        {
            rng = state.data<byte>().ToArray();
        }

        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        AtomicFile.Write(path, file =>
        {
            Stream stream = wrap(file);
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(header.ToJsonString(JsonOptions));
            writer.Write(rng.Length);
            writer.Write(rng);
            trainer.Model.save(writer);
            ((OptimizerHelper)trainer.Optimizer).save_state_dict(writer);
            writer.Flush();
        });
    }

    /// <summary>Reads the header of a checkpoint (no tensors are loaded).</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <returns>Its state, without weights.</returns>
    /// <exception cref="InvalidDataException">The file is not a DeclCnn checkpoint of this format.</exception>
    public static CheckpointState ReadState(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        return ReadHeader(reader, path);
    }

    /// <summary>Loads only the weights of a checkpoint into <paramref name="model"/>.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="model">A model of the same architecture.</param>
    /// <returns>The checkpoint's state (epoch, history, ...).</returns>
    /// <exception cref="InvalidDataException">The file is not a DeclCnn checkpoint of this format.</exception>
    public static CheckpointState LoadWeights(string path, nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        CheckpointState state = ReadHeader(reader, path);
        model.load(reader);
        return state;
    }

    /// <summary>Loads weights and optimizer state; the trainer restores the rest.</summary>
    internal static CheckpointState Restore(string path, nn.Module model, optim.Optimizer optimizer)
    {
        using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        CheckpointState state = ReadHeader(reader, path);
        model.load(reader);
        ((OptimizerHelper)optimizer).load_state_dict(reader);
        return state;
    }

    private static CheckpointState ReadHeader(BinaryReader reader, string path)
    {
        try
        {
            byte[] magic = reader.ReadBytes(Magic.Length);
            if (!magic.AsSpan().SequenceEqual(Magic))
            {
                throw new InvalidDataException($"'{path}' is not a DeclCnn checkpoint (no DCNNCKPT magic).");
            }

            int version = reader.ReadInt32();
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"'{path}' is a version {version} checkpoint; this DeclCnn reads version {FormatVersion}.");
            }

            JsonNode header = JsonNode.Parse(reader.ReadString()) ?? throw new InvalidDataException($"'{path}' has an empty header.");
            byte[] rng = reader.ReadBytes(reader.ReadInt32());
            var callbacks = header["callbacks"]!.AsObject().ToDictionary(p => p.Key, p => p.Value?.DeepClone(), StringComparer.Ordinal);
            return new CheckpointState(
                header["epoch"]!.GetValue<int>(),
                header["step_count"]!.GetValue<long>(),
                header["history"].Deserialize<List<EpochRecord>>(JsonOptions) ?? [],
                header["scheduler"]?.DeepClone(),
                callbacks,
                rng,
                header["model_type"]?.GetValue<string>() ?? "unknown");
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"'{path}' is truncated: it is not a complete DeclCnn checkpoint.", e);
        }
    }
}
