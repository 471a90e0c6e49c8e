using System;
using System.Linq;

namespace DeclCnn.Runtime.Interchange.Onnx;

public sealed partial class OnnxGraphBuilder
{
    /// <summary><c>ReLU</c>: ONNX <c>Relu</c>.</summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <returns>The layer's output.</returns>
    public OnnxValue Relu(OnnxValue x, string name) => Node("Relu", Qualify(name), [x.Name]);

    /// <summary><c>LeakyReLU</c>: ONNX <c>LeakyRelu</c>.</summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <param name="negativeSlope">The slope below zero, PyTorch's default 0.01.</param>
    /// <returns>The layer's output.</returns>
    public OnnxValue LeakyRelu(OnnxValue x, string name, double negativeSlope = 0.01) =>
        Node("LeakyRelu", Qualify(name), [x.Name], Float("alpha", negativeSlope));

    /// <summary>
    /// <c>PReLU</c> with its learned <c>weight</c> (one slope, or one per channel): ONNX <c>PRelu</c>. ONNX broadcasts
    /// from the last dimension, so a per-channel slope is laid out as <c>[C, 1, 1]</c> for a 4-D input.
    /// </summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <param name="rank">The input's rank with the batch dimension (4 for <c>[N, C, H, W]</c>, 2 for <c>[N, F]</c>).</param>
    /// <returns>The layer's output.</returns>
    public OnnxValue PRelu(OnnxValue x, string name, int rank = 4)
    {
        string layer = Qualify(name);
        long slopes = Entry(layer, "weight").shape[0];
        long[] layout = slopes == 1 ? [1] : [slopes, .. Enumerable.Repeat(1L, rank - 2)];
        return Node("PRelu", layer, [x.Name, Weight(layer, "weight", layout)]);
    }

    /// <summary><c>ELU</c>: ONNX <c>Elu</c>.</summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <param name="alpha">The scale below zero, PyTorch's default 1.</param>
    /// <returns>The layer's output.</returns>
    public OnnxValue Elu(OnnxValue x, string name, double alpha = 1.0) => Node("Elu", Qualify(name), [x.Name], Float("alpha", alpha));

    /// <summary><c>Sigmoid</c>: ONNX <c>Sigmoid</c>.</summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <returns>The layer's output.</returns>
    public OnnxValue Sigmoid(OnnxValue x, string name) => Node("Sigmoid", Qualify(name), [x.Name]);

    /// <summary><c>Tanh</c>: ONNX <c>Tanh</c>.</summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <returns>The layer's output.</returns>
    public OnnxValue Tanh(OnnxValue x, string name) => Node("Tanh", Qualify(name), [x.Name]);

    /// <summary><c>SiLU</c>, <c>x * sigmoid(x)</c>: ONNX <c>Sigmoid</c> and <c>Mul</c> (opset 17 has no SiLU).</summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <returns>The layer's output.</returns>
    public OnnxValue SiLU(OnnxValue x, string name)
    {
        string layer = Qualify(name);
        var gate = Node("Sigmoid", $"{layer}/sigmoid", [x.Name]);
        return Node("Mul", layer, [x.Name, gate.Name]);
    }

    /// <summary>
    /// <c>GELU</c> in PyTorch's default, exact form <c>x * (1 + erf(x / √2)) / 2</c>: ONNX <c>Div</c>, <c>Erf</c>,
    /// <c>Add</c> and <c>Mul</c> (opset 17 has no Gelu).
    /// </summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <returns>The layer's output.</returns>
    public OnnxValue Gelu(OnnxValue x, string name)
    {
        string layer = Qualify(name);
        var scaled = Node("Div", $"{layer}/scaled", [x.Name, FloatConstant($"{layer}/sqrt2", [MathF.Sqrt(2f)])]);
        var erf = Node("Erf", $"{layer}/erf", [scaled.Name]);
        var shifted = Node("Add", $"{layer}/shifted", [erf.Name, FloatConstant($"{layer}/one", [1f])]);
        var gated = Node("Mul", $"{layer}/gated", [x.Name, shifted.Name]);
        return Node("Mul", layer, [gated.Name, FloatConstant($"{layer}/half", [0.5f])]);
    }

    /// <summary><c>Softmax</c> over one dimension: ONNX <c>Softmax</c> (since opset 13 it, too, acts on one axis).</summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <param name="dim">PyTorch's <c>dim</c>; negative counts from the end.</param>
    /// <returns>The layer's output.</returns>
    public OnnxValue Softmax(OnnxValue x, string name, long dim = 1) => Node("Softmax", Qualify(name), [x.Name], Int("axis", dim));

    /// <summary><c>LogSoftmax</c> over one dimension: ONNX <c>LogSoftmax</c>.</summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <param name="dim">PyTorch's <c>dim</c>; negative counts from the end.</param>
    /// <returns>The layer's output.</returns>
    public OnnxValue LogSoftmax(OnnxValue x, string name, long dim = 1) => Node("LogSoftmax", Qualify(name), [x.Name], Int("axis", dim));
}
