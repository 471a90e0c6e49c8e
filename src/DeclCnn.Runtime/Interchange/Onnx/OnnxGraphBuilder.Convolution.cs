namespace DeclCnn.Runtime.Interchange.Onnx;

public sealed partial class OnnxGraphBuilder
{
    /// <summary>
    /// A convolution (<c>Conv2d</c>, <c>Conv1d</c>): ONNX <c>Conv</c> with the layer's <c>weight</c> and, when the layer
    /// has one, <c>bias</c>. The kernel size is read from the weight.
    /// </summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name (its weights are <c>name.weight</c>, <c>name.bias</c>).</param>
    /// <param name="stride">The stride per spatial dimension; 1 when null.</param>
    /// <param name="pads">
    /// ONNX's order: the padding before each spatial dimension, then after each (<c>[top, left, bottom, right]</c>), so
    /// PyTorch's <c>"same"</c> with an even kernel, which pads one more after, is <c>[p, p, p + 1, p + 1]</c>; none when null.
    /// </param>
    /// <param name="dilation">The dilation per spatial dimension; 1 when null.</param>
    /// <param name="groups">The number of groups.</param>
    /// <returns>The layer's output.</returns>
    public OnnxValue Conv(OnnxValue x, string name, long[]? stride = null, long[]? pads = null, long[]? dilation = null, long groups = 1)
    {
        string layer = Qualify(name);
        long[] kernel = Entry(layer, "weight").shape[2..];
        string weight = Weight(layer, "weight");
        string[] inputs = OptionalWeight(layer, "bias") is { } bias ? [x.Name, weight, bias] : [x.Name, weight];
        return Node(
            "Conv",
            layer,
            inputs,
            Ints("kernel_shape", kernel),
            Ints("strides", OrFill(stride, kernel.Length, 1)),
            Ints("pads", OrFill(pads, 2 * kernel.Length, 0)),
            Ints("dilations", OrFill(dilation, kernel.Length, 1)),
            Int("group", groups));
    }

    /// <summary>
    /// A transposed convolution (<c>ConvTranspose2d</c>): ONNX <c>ConvTranspose</c>. PyTorch's weight layout
    /// <c>[in, out / groups, kh, kw]</c> is ONNX's, and PyTorch's symmetric <c>padding</c> p is <c>pads</c> = p on both
    /// sides; the output size is then PyTorch's, <c>(in - 1) * stride - 2p + dilation * (k - 1) + output_padding + 1</c>.
    /// </summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <param name="stride">The stride per spatial dimension; 1 when null.</param>
    /// <param name="pads">Before each spatial dimension, then after each (ONNX's order); none when null.</param>
    /// <param name="outputPadding">PyTorch's <c>output_padding</c> per spatial dimension; none when null.</param>
    /// <param name="dilation">The dilation per spatial dimension; 1 when null.</param>
    /// <param name="groups">The number of groups.</param>
    /// <returns>The layer's output.</returns>
    public OnnxValue ConvTranspose(
        OnnxValue x,
        string name,
        long[]? stride = null,
        long[]? pads = null,
        long[]? outputPadding = null,
        long[]? dilation = null,
        long groups = 1)
    {
        string layer = Qualify(name);
        long[] kernel = Entry(layer, "weight").shape[2..];
        string weight = Weight(layer, "weight");
        string[] inputs = OptionalWeight(layer, "bias") is { } bias ? [x.Name, weight, bias] : [x.Name, weight];
        return Node(
            "ConvTranspose",
            layer,
            inputs,
            Ints("kernel_shape", kernel),
            Ints("strides", OrFill(stride, kernel.Length, 1)),
            Ints("pads", OrFill(pads, 2 * kernel.Length, 0)),
            Ints("output_padding", OrFill(outputPadding, kernel.Length, 0)),
            Ints("dilations", OrFill(dilation, kernel.Length, 1)),
            Int("group", groups));
    }

    /// <summary>A dense layer (<c>Linear</c>) on <c>[N, in]</c>: ONNX <c>Gemm</c>, <c>x * weightᵀ + bias</c>.</summary>
    /// <param name="x">The layer's input, two-dimensional (after a flatten).</param>
    /// <param name="name">The layer's name.</param>
    /// <returns>The layer's output, <c>[N, out]</c>.</returns>
    public OnnxValue Linear(OnnxValue x, string name)
    {
        string layer = Qualify(name);
        string weight = Weight(layer, "weight");
        string[] inputs = OptionalWeight(layer, "bias") is { } bias ? [x.Name, weight, bias] : [x.Name, weight];
        return Node("Gemm", layer, inputs, Int("transB", 1));
    }
}
