using System;
using System.Linq;

namespace DeclCnn.Runtime.Interchange.Onnx;

public sealed partial class OnnxGraphBuilder
{
    /// <summary>Flattens <c>[N, ...]</c> to <c>[N, rest]</c> (PyTorch's <c>Flatten()</c>, start_dim 1): ONNX <c>Flatten</c>.</summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <returns>The layer's output.</returns>
    public OnnxValue Flatten(OnnxValue x, string name) => Node("Flatten", Qualify(name), [x.Name], Int("axis", 1));

    /// <summary>
    /// Pads with zeros (PyTorch's <c>ZeroPad2d</c>, in its argument order): ONNX <c>Pad</c>, constant mode. Negative
    /// amounts crop, as in PyTorch.
    /// </summary>
    /// <param name="x">The layer's input, <c>[N, C, H, W]</c>.</param>
    /// <param name="name">The layer's name.</param>
    /// <param name="left">Columns added on the left.</param>
    /// <param name="right">Columns added on the right.</param>
    /// <param name="top">Rows added on top.</param>
    /// <param name="bottom">Rows added at the bottom.</param>
    /// <returns>The layer's output.</returns>
    public OnnxValue ZeroPad(OnnxValue x, string name, long left, long right, long top, long bottom)
    {
        string layer = Qualify(name);
        string pads = Int64Constant($"{layer}/pads", 0, 0, top, left, 0, 0, bottom, right);
        return Node("Pad", layer, [x.Name, pads], String("mode", "constant"));
    }

    /// <summary>The element-wise sum of a residual join, <c>body + shortcut</c>: ONNX <c>Add</c>.</summary>
    /// <param name="a">One operand.</param>
    /// <param name="b">The other, of the same shape.</param>
    /// <param name="name">The join's name within the enclosing block.</param>
    /// <returns>The sum.</returns>
    public OnnxValue Add(OnnxValue a, OnnxValue b, string name) => Node("Add", Qualify(name), [a.Name, b.Name]);

    /// <summary>Concatenates branches along the channels (or another axis): ONNX <c>Concat</c>.</summary>
    /// <param name="values">The branches, in order.</param>
    /// <param name="name">The join's name within the enclosing block.</param>
    /// <param name="axis">The axis, 1 for channels.</param>
    /// <returns>The concatenation.</returns>
    public OnnxValue Concat(OnnxValue[] values, string name, long axis = 1)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Node("Concat", Qualify(name), values.Select(static v => v.Name), Int("axis", axis));
    }

    /// <summary>
    /// A layer that is the identity at inference (<c>Dropout</c>, <c>Dropout2d</c>, <c>Identity</c>): ONNX
    /// <c>Identity</c>, kept as a node so the graph still shows the layer.
    /// </summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <returns>The layer's output, equal to its input.</returns>
    public OnnxValue Identity(OnnxValue x, string name) => Node("Identity", Qualify(name), [x.Name]);

    /// <summary>
    /// Upsampling by a scale factor on <c>[N, C, H, W]</c> (PyTorch's <c>Upsample(scale_factor)</c>): ONNX <c>Resize</c>
    /// with PyTorch's sampling. <c>"nearest"</c> picks <c>floor(out / scale)</c> (asymmetric coordinates, floor);
    /// <c>"bilinear"</c> maps pixel centres (half_pixel), or corners with <paramref name="alignCorners"/>. The output
    /// size is <c>floor(in * scale)</c> in both.
    /// </summary>
    /// <param name="x">The layer's input.</param>
    /// <param name="name">The layer's name.</param>
    /// <param name="scale">The scale factor of both spatial dimensions.</param>
    /// <param name="mode"><c>"nearest"</c> or <c>"bilinear"</c>, PyTorch's names.</param>
    /// <param name="alignCorners">PyTorch's <c>align_corners</c>, for bilinear only.</param>
    /// <returns>The layer's output.</returns>
    /// <exception cref="OnnxExportException">Another mode, or corners aligned in nearest mode.</exception>
    public OnnxValue Upsample(OnnxValue x, string name, double scale, string mode = "nearest", bool alignCorners = false)
    {
        string layer = Qualify(name);
        var attributes = (mode, alignCorners) switch
        {
            ("nearest", false) => new[]
            {
                String("mode", "nearest"),
                String("coordinate_transformation_mode", "asymmetric"),
                String("nearest_mode", "floor"),
            },
            ("bilinear", _) => new[]
            {
                String("mode", "linear"),
                String("coordinate_transformation_mode", alignCorners ? "align_corners" : "half_pixel"),
            },
            _ => throw new OnnxExportException(
                $"Cannot export layer '{layer}' of {_modelName} to ONNX: upsampling mode '{mode}'{(alignCorners ? " with aligned corners" : string.Empty)} " +
                "is not exported; use \"nearest\" or \"bilinear\"."),
        };
        string scales = FloatConstant($"{layer}/scales", [1f, 1f, (float)scale, (float)scale], 4);
        return Node("Resize", layer, [x.Name, string.Empty, scales], attributes);
    }
}
