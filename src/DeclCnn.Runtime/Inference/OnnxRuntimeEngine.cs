using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Interchange;
using Microsoft.ML.OnnxRuntime;

namespace DeclCnn.Runtime.Inference;

/// <summary>
/// Runs an ONNX model with ONNX Runtime on the CPU, with its default threading. Uses no TorchSharp, so a process that
/// classifies through it needs no libtorch (docs/inference.md, Serving with ONNX Runtime only).
/// </summary>
public sealed class OnnxRuntimeEngine : IInferenceEngine
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly long[] inputShape;
    private readonly string inputName;
    private readonly string outputName;

    private OnnxRuntimeEngine(InferenceSession session, string source)
    {
        this.session = session;
        inputName = session.InputNames.Single();
        outputName = session.OutputNames.Single();
        int[] dimensions = session.InputMetadata[inputName].Dimensions;
        if (dimensions.Length != 4 || dimensions.Skip(1).Any(static d => d <= 0))
        {
            session.Dispose();
            runOptions.Dispose();
            throw new WeightFileException(
                $"'{source}' takes input [{string.Join(", ", dimensions)}]; an image classifier takes [N, channels, height, width] with fixed image sizes.");
        }

        inputShape = dimensions.Skip(1).Select(static d => (long)d).ToArray();
        Metadata = session.ModelMetadata.CustomMetadataMap;
    }

    /// <summary>One input image, channels x height x width, as the model's graph declares it.</summary>
    public IReadOnlyList<long> InputShape => inputShape;

    /// <summary>The model's <c>metadata_props</c>: DeclCnn's entries when DeclCnn exported it with the classifier's information.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <inheritdoc/>
    public string Name => "ONNX Runtime (cpu)";

    /// <summary>Opens the ONNX model file <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="WeightFileException">ONNX Runtime cannot load the file, or its graph is not one image input and one output.</exception>
    public static OnnxRuntimeEngine Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"ONNX model file '{path}' does not exist.", path);
        }

        return Create(() => new InferenceSession(path), path);
    }

    /// <summary>Loads an ONNX model from its bytes, e.g. a declaration's <c>ToOnnx()</c> written to memory.</summary>
    /// <param name="model">The serialized model.</param>
    /// <param name="source">What to call the model in error messages.</param>
    /// <exception cref="WeightFileException">ONNX Runtime cannot load the model, or its graph is not one image input and one output.</exception>
    public static OnnxRuntimeEngine Load(byte[] model, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        return Create(() => new InferenceSession(model), source);
    }

    /// <inheritdoc/>
    public float[] Run(float[] batch, int count)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var input = OrtValue.CreateTensorValueFromMemory(batch, [count, .. inputShape]);
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, [inputName], [input], [outputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        session.Dispose();
        runOptions.Dispose();
    }

    private static OnnxRuntimeEngine Create(Func<InferenceSession> open, string source)
    {
        InferenceSession session;
        try
        {
            session = open();
        }
        catch (OnnxRuntimeException e)
        {
            throw new WeightFileException($"'{source}' cannot be loaded by ONNX Runtime; it is not an ONNX model, or it is damaged or truncated: {e.Message}", e);
        }

        if (session.InputNames.Count != 1 || session.OutputNames.Count != 1)
        {
            string shape = $"{session.InputNames.Count} inputs and {session.OutputNames.Count} outputs";
            session.Dispose();
            throw new WeightFileException($"'{source}' has {shape}; an image classifier has one of each.");
        }

        return new OnnxRuntimeEngine(session, source);
    }
}
