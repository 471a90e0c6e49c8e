using System.Linq;

namespace DeclCnn.Runtime.Interchange.Onnx;

public sealed partial class OnnxGraphBuilder
{
    /// <summary>Max pooling (<c>MaxPool2d</c>): ONNX <c>MaxPool</c>.</summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <param name="kernel">The window per spatial dimension.</param>
    /// <param name="stride">The stride per spatial dimension; the kernel when null, as in PyTorch.</param>
    /// <param name="pads">Before each spatial dimension, then after each (ONNX's order); none when null.</param>
    /// <param name="dilation">The dilation per spatial dimension; 1 when null.</param>
    /// <param name="ceilMode">PyTorch's <c>ceil_mode</c>: round the output size up.</param>
    /// <returns>The layer's output.</returns>
    public OnnxValue MaxPool(OnnxValue x, string name, long[] kernel, long[]? stride = null, long[]? pads = null, long[]? dilation = null, bool ceilMode = false)
    {
        System.ArgumentNullException.ThrowIfNull(kernel);
        return Node(
            "MaxPool",
            Qualify(name),
            [x.Name],
            Ints("kernel_shape", kernel),
            Ints("strides", stride ?? kernel),
            Ints("pads", OrFill(pads, 2 * kernel.Length, 0)),
            Ints("dilations", OrFill(dilation, kernel.Length, 1)),
            Int("ceil_mode", ceilMode ? 1 : 0));
    }

    /// <summary>Average pooling (<c>AvgPool2d</c>): ONNX <c>AveragePool</c>.</summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <param name="kernel">The window per spatial dimension.</param>
    /// <param name="stride">The stride per spatial dimension; the kernel when null, as in PyTorch.</param>
    /// <param name="pads">Before each spatial dimension, then after each (ONNX's order); none when null.</param>
    /// <param name="ceilMode">PyTorch's <c>ceil_mode</c>: round the output size up.</param>
    /// <param name="countIncludePad">PyTorch's <c>count_include_pad</c>: divide by the whole window, padding included.</param>
    /// <returns>The layer's output.</returns>
    public OnnxValue AvgPool(OnnxValue x, string name, long[] kernel, long[]? stride = null, long[]? pads = null, bool ceilMode = false, bool countIncludePad = true)
    {
        System.ArgumentNullException.ThrowIfNull(kernel);
        return Node(
            "AveragePool",
            Qualify(name),
            [x.Name],
            Ints("kernel_shape", kernel),
            Ints("strides", stride ?? kernel),
            Ints("pads", OrFill(pads, 2 * kernel.Length, 0)),
            Int("ceil_mode", ceilMode ? 1 : 0),
            Int("count_include_pad", countIncludePad ? 1 : 0));
    }

    /// <summary>Global average pooling to <c>[N, C, 1, 1]</c>: ONNX <c>GlobalAveragePool</c>.</summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <returns>The layer's output.</returns>
    public OnnxValue GlobalAvgPool(OnnxValue x, string name) => Node("GlobalAveragePool", Qualify(name), [x.Name]);

    /// <summary>Global max pooling to <c>[N, C, 1, 1]</c>: ONNX <c>GlobalMaxPool</c>.</summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <returns>The layer's output.</returns>
    public OnnxValue GlobalMaxPool(OnnxValue x, string name) => Node("GlobalMaxPool", Qualify(name), [x.Name]);

    /// <summary>
    /// Adaptive average pooling (<c>AdaptiveAvgPool2d</c>) from a spatial size known at compile time. ONNX has no
    /// adaptive pooling: an output of 1x1 is <c>GlobalAveragePool</c>, an output size that divides the input size is
    /// <c>AveragePool</c> with kernel = stride = input / output (the windows PyTorch uses then); any other size has
    /// windows of unequal sizes and is refused, as is any size but 1x1 where the input size is not known.
    /// </summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <param name="inputSize">
    /// The input's spatial size, e.g. <c>[7, 7]</c>; null where it is not known at compile time (in a block, whose
    /// sizes depend on its use).
    /// </param>
    /// <param name="outputSize">The requested output size, e.g. <c>[1, 1]</c>.</param>
    /// <returns>The layer's output.</returns>
    /// <exception cref="OnnxExportException">An output size that does not divide the input size.</exception>
    public OnnxValue AdaptiveAvgPool(OnnxValue x, string name, long[]? inputSize, long[] outputSize) =>
        AdaptivePool(x, name, inputSize, outputSize, "AdaptiveAvgPool", "GlobalAveragePool", "AveragePool");

    /// <summary>
    /// Adaptive max pooling (<c>AdaptiveMaxPool2d</c>), written as <see cref="AdaptiveAvgPool"/> is: <c>GlobalMaxPool</c>
    /// or <c>MaxPool</c> where the output size divides the input size, refused otherwise.
    /// </summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <param name="inputSize">The input's spatial size; null where it is not known at compile time.</param>
    /// <param name="outputSize">The requested output size.</param>
    /// <returns>The layer's output.</returns>
    /// <exception cref="OnnxExportException">An output size that does not divide the input size.</exception>
    public OnnxValue AdaptiveMaxPool(OnnxValue x, string name, long[]? inputSize, long[] outputSize) =>
        AdaptivePool(x, name, inputSize, outputSize, "AdaptiveMaxPool", "GlobalMaxPool", "MaxPool");

    private OnnxValue AdaptivePool(OnnxValue x, string name, long[]? inputSize, long[] outputSize, string kind, string globalOp, string windowOp)
    {
        System.ArgumentNullException.ThrowIfNull(outputSize);
        string layer = Qualify(name);
        if (outputSize.All(static size => size == 1))
        {
            return Node(globalOp, layer, [x.Name]);
        }

        if (inputSize is null)
        {
            throw new OnnxExportException(
                $"Cannot export layer '{layer}' of {_modelName} to ONNX: {kind} to {string.Join('x', outputSize)} inside a block " +
                "pools windows whose sizes depend on the block's input size, which is not known when the block is compiled. " +
                "Use an output size of 1x1 (global pooling) in the block, or move the layer into the model.");
        }

        if (inputSize.Length != outputSize.Length || inputSize.Zip(outputSize).Any(static p => p.Second <= 0 || p.First % p.Second != 0))
        {
            throw new OnnxExportException(
                $"Cannot export layer '{layer}' of {_modelName} to ONNX: {kind} from {string.Join('x', inputSize)} to " +
                $"{string.Join('x', outputSize)} pools windows of unequal sizes, which no ONNX operator does. Use an output size " +
                "that divides the input size (or 1x1), or a fixed pooling layer.");
        }

        long[] window = inputSize.Zip(outputSize, static (input, output) => input / output).ToArray();
        return Node(windowOp, layer, [x.Name], Ints("kernel_shape", window), Ints("strides", window));
    }
}
