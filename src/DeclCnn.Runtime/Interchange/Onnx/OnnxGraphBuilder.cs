using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeclCnn.Runtime.Data;
using DeclCnn.Runtime.Inference;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace DeclCnn.Runtime.Interchange.Onnx;

/// <summary>
/// Writes a network's inference graph as an ONNX model (opset <see cref="Opset"/>), one method call per layer, with
/// the module's trained weights as initializers. A declaration's export calls it layer by layer with the values the
/// generator knows at compile time; the weights are read from the module's state dict by the layer's name, qualified
/// by the enclosing <see cref="Scope"/>s the way PyTorch names them (<c>layer1.0.conv1.weight</c>).
/// </summary>
/// <remarks>
/// The graph has one float32 input named <c>input</c> and one output named <c>output</c>, both with a dynamic batch
/// dimension <c>N</c>. Every layer is written in its inference form (batch norm with its running statistics, dropout
/// as identity). A layer ONNX cannot express exactly is refused with an <see cref="OnnxExportException"/> naming it;
/// the builder never writes an approximate graph.
/// </remarks>
public sealed partial class OnnxGraphBuilder
{
    /// <summary>The ONNX operator set the graphs use, stated in every model.</summary>
    public const int Opset = 17;

    /// <summary>The name of the graph's input.</summary>
    public const string InputName = "input";

    /// <summary>The name of the graph's output.</summary>
    public const string OutputName = "output";

    /// <summary>The name of the dynamic batch dimension of the input and the output.</summary>
    public const string BatchDimension = "N";

    // IR version 8 is the one that ships with opset 17 (ONNX 1.12).
    private const long IrVersion = 8;
    private const int FloatType = 1;
    private const int Int64Type = 7;

    private readonly string _modelName;
    private readonly string _modelType;
    private readonly long[] _inputShape;
    private readonly Dictionary<string, Tensor> _stateDict;
    private readonly GraphProto _graph;
    private readonly HashSet<string> _names = [InputName, OutputName];
    private readonly List<string> _scope = [];

    /// <summary>Starts the graph of <paramref name="module"/>, whose input is <c>[N, ..inputShape]</c>.</summary>
    /// <param name="module">The network; its state dict supplies every weight, so export it after training.</param>
    /// <param name="modelName">The graph's name, usually the declaring class's.</param>
    /// <param name="inputShape">The input's shape without the batch dimension, e.g. <c>[1, 28, 28]</c>.</param>
    public OnnxGraphBuilder(nn.Module module, string modelName, params long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        ArgumentNullException.ThrowIfNull(inputShape);
        _modelName = modelName;
        _modelType = module.GetType().FullName!;
        _inputShape = [.. inputShape];
        _stateDict = module.state_dict();
        _graph = new GraphProto { Name = modelName };
        Input = new OnnxValue(InputName);
    }

    /// <summary>The graph's input, <c>[N, ..inputShape]</c>: the first layer's argument.</summary>
    public OnnxValue Input { get; }

    /// <summary>
    /// Opens a named submodule (a block, a stage, an element of a sequential): until the returned object is disposed,
    /// layer names are qualified by it, so <c>Scope("layer1")</c>, <c>Scope("0")</c>, <c>Conv(x, "conv1")</c> reads
    /// the weight <c>layer1.0.conv1.weight</c>.
    /// </summary>
    /// <param name="name">The submodule's name within the enclosing scope.</param>
    /// <returns>Closes the scope when disposed.</returns>
    public IDisposable Scope(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _scope.Add(name);
        return new ScopeExit(_scope);
    }

    /// <summary>Finishes the graph with <paramref name="output"/> as its output, <c>[N, ..outputShape]</c>.</summary>
    /// <param name="output">The last layer's value.</param>
    /// <param name="outputShape">The output's shape without the batch dimension, e.g. <c>[10]</c>.</param>
    /// <param name="info">
    /// The classifier's information (input shape, statistics, class names, provenance), written with the module's
    /// .NET type as the model's <c>metadata_props</c> under the keys of a model file (docs/inference.md), so that
    /// <see cref="Inference.Classifier.Open(string, Inference.ClassifierOptions?)"/> can use the file alone; null writes none.
    /// </param>
    /// <returns>The ONNX model; the builder is unchanged and can build again.</returns>
    /// <exception cref="ArgumentException"><paramref name="info"/>'s input shape is not the graph's.</exception>
    public ModelProto Build(OnnxValue output, long[] outputShape, ModelInfo? info = null)
    {
        ArgumentNullException.ThrowIfNull(outputShape);
        var graph = _graph.Clone();
        graph.Input.Add(ValueInfo(InputName, _inputShape));
        graph.Output.Add(ValueInfo(OutputName, outputShape));
        var identity = new NodeProto { OpType = "Identity", Name = OutputName };
        identity.Input.Add(output.Name);
        identity.Output.Add(OutputName);
        graph.Node.Add(identity);

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "DeclCnn",
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? string.Empty,
            DocString = $"{_modelName}: [{BatchDimension}, {string.Join(", ", _inputShape)}] -> [{BatchDimension}, {string.Join(", ", outputShape)}]",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        if (info is not null)
        {
            if (!info.InputShape.SequenceEqual(_inputShape))
            {
                throw new ArgumentException(
                    $"The information describes input [{string.Join(", ", info.InputShape)}] but {_modelName} takes [{string.Join(", ", _inputShape)}].", nameof(info));
            }

            model.MetadataProps.AddRange(ModelMetadata.Write(_modelType, info)
                .OrderBy(static entry => entry.Key, StringComparer.Ordinal)
                .Select(static entry => new StringStringEntryProto { Key = entry.Key, Value = entry.Value }));
        }

        return model;
    }

    /// <summary>Finishes the graph (as <see cref="Build"/>) and serializes it: the bytes of an <c>.onnx</c> file.</summary>
    /// <param name="output">The last layer's value.</param>
    /// <param name="outputShape">The output's shape without the batch dimension.</param>
    /// <param name="info">The classifier's information to write as metadata, or null (see <see cref="Build"/>).</param>
    public byte[] Serialize(OnnxValue output, long[] outputShape, ModelInfo? info = null) => Build(output, outputShape, info).ToByteArray();

    /// <summary>
    /// Finishes the graph (as <see cref="Build"/>) and writes it to <paramref name="path"/> atomically: readers see the
    /// old file or the complete new one, never a partial model.
    /// </summary>
    /// <param name="output">The last layer's value.</param>
    /// <param name="outputShape">The output's shape without the batch dimension.</param>
    /// <param name="path">The <c>.onnx</c> file to write.</param>
    /// <param name="info">The classifier's information to write as metadata, or null (see <see cref="Build"/>).</param>
    /// <exception cref="OnnxExportException">The file cannot be written (the message names the path); nothing is left behind.</exception>
    public void Export(OnnxValue output, long[] outputShape, string path, ModelInfo? info = null) =>
        Write(Serialize(output, outputShape, info), _modelName, path);

    /// <summary>Writes a serialized ONNX model to <paramref name="path"/> atomically, as <see cref="Export"/> does.</summary>
    /// <param name="model">The model's bytes, e.g. from <see cref="Serialize"/> or a declaration's <c>ToOnnx</c>.</param>
    /// <param name="modelName">The network's name, for the error message.</param>
    /// <param name="path">The <c>.onnx</c> file to write.</param>
    /// <exception cref="OnnxExportException">The file cannot be written (the message names the path); nothing is left behind.</exception>
    public static void Write(byte[] model, string modelName, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            AtomicFile.Write(path, stream => stream.Write(model));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OnnxExportException($"Cannot write the ONNX model of {modelName} to '{path}': {e.Message}", e);
        }
    }

    /// <summary>The layer's name as its weights are keyed in the state dict, e.g. <c>layer1.0.conv1</c>.</summary>
    private string Qualify(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return _scope.Count == 0 ? name : $"{string.Join('.', _scope)}.{name}";
    }

    /// <summary>Adds a node whose one output is named after <paramref name="name"/> (made unique in the graph).</summary>
    private OnnxValue Node(string opType, string name, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        string output = Unique(name);
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return new OnnxValue(output);
    }

    private string Unique(string name)
    {
        string candidate = name;
        for (int i = 1; !_names.Add(candidate); i++)
        {
            candidate = $"{name}_{i}";
        }

        return candidate;
    }

    /// <summary>
    /// The initializer of the state-dict entry <c>layer.parameter</c>, added on first use, optionally reshaped to
    /// <paramref name="dims"/> (a per-channel vector laid out to broadcast over the spatial dimensions).
    /// </summary>
    private string Weight(string layer, string parameter, long[]? dims = null)
    {
        Entry(layer, parameter);
        return OptionalWeight(layer, parameter, dims)!;
    }

    /// <summary>As <see cref="Weight"/>, or null when the layer has no such entry (a convolution without bias).</summary>
    private string? OptionalWeight(string layer, string parameter, long[]? dims = null)
    {
        string key = $"{layer}.{parameter}";
        if (!_stateDict.TryGetValue(key, out var tensor))
        {
            return null;
        }

        if (_names.Add(key))
        {
            _graph.Initializer.Add(FloatTensor(key, tensor, dims ?? tensor.shape));
        }

        return key;
    }

    /// <summary>The state-dict entry <c>layer.parameter</c>, which the layer's operation needs.</summary>
    private Tensor Entry(string layer, string parameter) =>
        _stateDict.TryGetValue($"{layer}.{parameter}", out var tensor)
            ? tensor
            : throw new OnnxExportException(
                $"Cannot export layer '{layer}' of {_modelName} to ONNX: the module has no '{layer}.{parameter}' in its state dict. " +
                "Export the module the declaration generated, with its own layer names.");

    private string FloatConstant(string name, float[] values, params long[] dims)
    {
        string unique = Unique(name);
        var proto = new TensorProto { Name = unique, DataType = FloatType };
        proto.Dims.AddRange(dims);
        proto.FloatData.AddRange(values);
        _graph.Initializer.Add(proto);
        return unique;
    }

    private string Int64Constant(string name, params long[] values)
    {
        string unique = Unique(name);
        var proto = new TensorProto { Name = unique, DataType = Int64Type };
        proto.Dims.Add(values.Length);
        proto.Int64Data.AddRange(values);
        _graph.Initializer.Add(proto);
        return unique;
    }

    private static TensorProto FloatTensor(string name, Tensor tensor, long[] dims)
    {
        using var scope = NewDisposeScope();
        using var values = tensor.detach().to(ScalarType.Float32, CPU).contiguous();
        var proto = new TensorProto { Name = name, DataType = FloatType };
        proto.Dims.AddRange(dims);
        proto.FloatData.AddRange(values.data<float>().ToArray());
        return proto;
    }

    private static ValueInfoProto ValueInfo(string name, long[] shape)
    {
        var tensorShape = new TensorShapeProto();
        tensorShape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        tensorShape.Dim.AddRange(shape.Select(static d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = FloatType, Shape = tensorShape } },
        };
    }

    private static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Float(string name, double value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = (float)value };

    private static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>Per-dimension values given by the caller, or <paramref name="fill"/> in each of <paramref name="count"/> dimensions.</summary>
    private static long[] OrFill(long[]? values, int count, long fill) => values ?? Enumerable.Repeat(fill, count).ToArray();

    private sealed class ScopeExit(List<string> scope) : IDisposable
    {
        private bool _closed;

        public void Dispose()
        {
            if (!_closed)
            {
                scope.RemoveAt(scope.Count - 1);
                _closed = true;
            }
        }
    }
}
