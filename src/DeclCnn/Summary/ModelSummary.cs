using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace DeclCnn;

/// <summary>
/// A network's layers, output shapes, parameter counts and multiply-adds, in the style of torchinfo's summary.
/// Generated models compute theirs at compile time (the static <c>Summary</c> property).
/// </summary>
public sealed class ModelSummary
{
    private const int BytesPerElement = 4;
    private const double BytesPerMegabyte = 1e6;

    /// <summary>Creates a summary.</summary>
    /// <param name="modelName">The model's name.</param>
    /// <param name="inputShape">The shape of one input sample, without the batch dimension.</param>
    /// <param name="layers">The layers, in forward order.</param>
    public ModelSummary(string modelName, long[] inputShape, LayerSummary[] layers)
    {
        ModelName = modelName;
        InputShape = inputShape;
        Layers = layers;
    }

    /// <summary>The model's name.</summary>
    public string ModelName { get; }

    /// <summary>The shape of one input sample, without the batch dimension.</summary>
    public IReadOnlyList<long> InputShape { get; }

    /// <summary>The layers, in forward order.</summary>
    public IReadOnlyList<LayerSummary> Layers { get; }

    /// <summary>The shape of one output sample, without the batch dimension.</summary>
    public IReadOnlyList<long> OutputShape => Layers.Count == 0 ? InputShape : Layers[Layers.Count - 1].OutputShape;

    /// <summary>All parameters.</summary>
    public long TotalParameters => Layers.Sum(static l => l.Parameters);

    /// <summary>The multiply-adds of one sample through the network (<see cref="LayerSummary.MultiplyAdds"/> says what counts).</summary>
    public long TotalMultiplyAdds => Layers.Sum(static l => l.MultiplyAdds);

    /// <summary>Parameters that train; every parameter of a declared model does.</summary>
    public long TrainableParameters => TotalParameters;

    /// <summary>Parameters that do not train (BatchNorm's running statistics are buffers, not parameters).</summary>
    public long NonTrainableParameters => TotalParameters - TrainableParameters;

    /// <summary>Estimated memory of one float32 input batch, in megabytes (10^6 bytes).</summary>
    /// <param name="batchSize">The batch size.</param>
    /// <returns>The estimate.</returns>
    public double InputSizeMegabytes(int batchSize) => batchSize * Elements(InputShape) * BytesPerElement / BytesPerMegabyte;

    /// <summary>Estimated memory of every layer's float32 output and its gradient for one batch, in megabytes.</summary>
    /// <param name="batchSize">The batch size.</param>
    /// <returns>The estimate.</returns>
    public double ForwardBackwardSizeMegabytes(int batchSize) =>
        2.0 * batchSize * Layers.Sum(static l => Elements(l.OutputShape)) * BytesPerElement / BytesPerMegabyte;

    /// <summary>Memory of the float32 parameters, in megabytes.</summary>
    public double ParameterSizeMegabytes => TotalParameters * BytesPerElement / BytesPerMegabyte;

    /// <summary>The table for a batch of one sample.</summary>
    /// <returns>The formatted summary.</returns>
    public override string ToString() => Format(1);

    /// <summary>Formats the summary as a table, with shapes, multiply-adds and memory estimates for the given batch size.</summary>
    /// <param name="batchSize">The batch size shown in the shapes and used in the estimates.</param>
    /// <returns>The formatted summary.</returns>
    public string Format(int batchSize)
    {
        const int NameWidth = 40;
        const int ShapeWidth = 26;
        const int CountWidth = 15;
        const int MultiplyAddsWidth = 18;
        var rule = new string('=', NameWidth + ShapeWidth + CountWidth + MultiplyAddsWidth);
        var thin = new string('-', rule.Length);
        var text = new StringBuilder();
        void Row(string name, string shape, string parameters, string multiplyAdds) =>
            text.Append(name.PadRight(NameWidth)).Append(shape.PadRight(ShapeWidth)).Append(parameters.PadLeft(CountWidth)).Append(multiplyAdds.PadLeft(MultiplyAddsWidth)).Append('\n');

        text.Append(rule).Append('\n');
        Row("Layer (type)", "Output Shape", "Param #", "Mult-Adds");
        text.Append(rule).Append('\n');
        Row(ModelName, Shape(batchSize, OutputShape), "--", "--");
        for (var i = 0; i < Layers.Count; i++)
        {
            var layer = Layers[i];
            var branch = i == Layers.Count - 1 ? "└─" : "├─";
            Row($"{branch}{layer.Name} ({layer.Type})", Shape(batchSize, layer.OutputShape), CountOrDash(layer.Parameters), CountOrDash(batchSize * layer.MultiplyAdds));
        }

        text.Append(rule).Append('\n');
        text.Append("Total params: ").Append(Count(TotalParameters)).Append('\n');
        text.Append("Trainable params: ").Append(Count(TrainableParameters)).Append('\n');
        text.Append("Non-trainable params: ").Append(Count(NonTrainableParameters)).Append('\n');
        text.Append("Total mult-adds (M): ").Append(Millions(batchSize * TotalMultiplyAdds)).Append('\n');
        text.Append(thin).Append('\n');
        var input = InputSizeMegabytes(batchSize);
        var activations = ForwardBackwardSizeMegabytes(batchSize);
        text.Append("Input size (MB): ").Append(Megabytes(input)).Append('\n');
        text.Append("Forward/backward pass size (MB): ").Append(Megabytes(activations)).Append('\n');
        text.Append("Params size (MB): ").Append(Megabytes(ParameterSizeMegabytes)).Append('\n');
        text.Append("Estimated Total Size (MB): ").Append(Megabytes(input + activations + ParameterSizeMegabytes)).Append('\n');
        text.Append(rule).Append('\n');
        return text.ToString();
    }

    private static long Elements(IReadOnlyList<long> shape) => shape.Aggregate(1L, static (product, size) => product * size);

    private static string Shape(int batchSize, IReadOnlyList<long> shape) =>
        "[" + string.Join(", ", new[] { (long)batchSize }.Concat(shape).Select(static d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string CountOrDash(long value) => value == 0 ? "--" : Count(value);

    private static string Millions(long value) => (value / 1e6).ToString("F2", CultureInfo.InvariantCulture);

    private static string Megabytes(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
