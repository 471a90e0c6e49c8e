using System.Linq;

namespace DeclCnn.Runtime.Interchange.Onnx;

public sealed partial class OnnxGraphBuilder
{
    /// <summary>
    /// Batch normalization in inference mode (<c>BatchNorm1d</c> on <c>[N, C]</c> or <c>[N, C, L]</c>,
    /// <c>BatchNorm2d</c> on <c>[N, C, H, W]</c>): ONNX <c>BatchNormalization</c> with the layer's <c>weight</c>,
    /// <c>bias</c>, <c>running_mean</c> and <c>running_var</c>.
    /// </summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <param name="eps">The layer's epsilon, PyTorch's default 1e-5.</param>
    /// <returns>The layer's output.</returns>
    public OnnxValue BatchNorm(OnnxValue x, string name, double eps = 1e-5)
    {
        string layer = Qualify(name);
        string[] inputs =
        [
            x.Name,
            Weight(layer, "weight"),
            Weight(layer, "bias"),
            Weight(layer, "running_mean"),
            Weight(layer, "running_var"),
        ];
        return Node("BatchNormalization", layer, inputs, Float("epsilon", eps));
    }

    /// <summary>
    /// Group normalization (<c>GroupNorm</c>), with its affine <c>weight</c> and <c>bias</c> unless the layer has none.
    /// Opset 17 has no <c>GroupNormalization</c>, so the channels are reshaped to <c>[N, groups, rest]</c>, normalized
    /// per group by <c>InstanceNormalization</c> (the same statistics; its own scale one and bias zero), reshaped back,
    /// then scaled and shifted per channel.
    /// </summary>
    /// <param name="x">The layer's input, <c>[N, C, ...]</c>.</param>
    /// <param name="name">The layer's name.</param>
    /// <param name="groups">The number of groups; it divides C.</param>
    /// <param name="rank">The input's rank with the batch dimension (4 for <c>[N, C, H, W]</c>).</param>
    /// <param name="eps">The layer's epsilon, PyTorch's default 1e-5.</param>
    /// <param name="affine">Whether the layer has a per-channel weight and bias (PyTorch's default), else it only normalizes.</param>
    /// <returns>The layer's output.</returns>
    public OnnxValue GroupNorm(OnnxValue x, string name, long groups, int rank = 4, double eps = 1e-5, bool affine = true)
    {
        string layer = Qualify(name);
        var shape = Node("Shape", $"{layer}/shape", [x.Name]);
        var grouped = Node("Reshape", $"{layer}/grouped", [x.Name, Int64Constant($"{layer}/group_shape", 0, groups, -1)]);
        string ones = FloatConstant($"{layer}/ones", Enumerable.Repeat(1f, (int)groups).ToArray(), groups);
        string zeros = FloatConstant($"{layer}/zeros", new float[groups], groups);
        var normalized = Node("InstanceNormalization", $"{layer}/normalized", [grouped.Name, ones, zeros], Float("epsilon", eps));
        if (!affine)
        {
            return Node("Reshape", layer, [normalized.Name, shape.Name]);
        }

        long channels = Entry(layer, "weight").shape[0];
        long[] perChannel = [channels, .. Enumerable.Repeat(1L, rank - 2)];
        string scale = Weight(layer, "weight", perChannel);
        string shift = Weight(layer, "bias", perChannel);
        var restored = Node("Reshape", $"{layer}/restored", [normalized.Name, shape.Name]);
        var scaled = Node("Mul", $"{layer}/scaled", [restored.Name, scale]);
        return Node("Add", layer, [scaled.Name, shift]);
    }

    /// <summary>
    /// Local response normalization across channels (<c>LocalResponseNorm</c>): ONNX <c>LRN</c>. Both divide alpha by
    /// the window size, <c>x / (k + alpha / size * sum of squares) ^ beta</c>, so the values carry over unchanged; an
    /// odd window is centred alike in both, an even one is not (PyTorch reaches one channel further back, ONNX one
    /// further forward) and is refused.
    /// </summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <param name="size">The number of neighbouring channels summed; odd.</param>
    /// <param name="alpha">The multiplier, PyTorch's default 1e-4.</param>
    /// <param name="beta">The exponent, PyTorch's default 0.75.</param>
    /// <param name="k">The additive constant, PyTorch's default 1.</param>
    /// <returns>The layer's output.</returns>
    /// <exception cref="OnnxExportException">An even window size.</exception>
    public OnnxValue LocalResponseNorm(OnnxValue x, string name, long size, double alpha = 1e-4, double beta = 0.75, double k = 1.0)
    {
        string layer = Qualify(name);
        if (size % 2 == 0)
        {
            throw new OnnxExportException(
                $"Cannot export layer '{layer}' of {_modelName} to ONNX: LocalResponseNorm with an even size ({size}) sums a " +
                "different window of channels than ONNX's LRN does. Use an odd size.");
        }

        return Node("LRN", layer, [x.Name], Int("size", size), Float("alpha", alpha), Float("beta", beta), Float("bias", k));
    }
}
