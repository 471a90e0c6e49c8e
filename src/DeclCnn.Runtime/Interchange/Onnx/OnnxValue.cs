namespace DeclCnn.Runtime.Interchange.Onnx;

/// <summary>
/// A tensor flowing through an ONNX graph under construction: the name of the graph input, or of the node output that
/// produces it. <see cref="OnnxGraphBuilder"/> hands these out and takes them back; they mean nothing to another builder.
/// </summary>
/// <param name="Name">The value's name in the graph.</param>
public readonly record struct OnnxValue(string Name);
