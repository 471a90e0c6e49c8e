using DeclCnn.Runtime.Inference;

namespace DeclCnn.Runtime.Interchange.Onnx;

/// <summary>
/// A network that writes itself as an ONNX model: every declared network implements it (the generator writes both
/// methods, one <see cref="OnnxGraphBuilder"/> call per layer), so code that holds only a module can export it, e.g.
/// <see cref="Classifier.Load"/> with <see cref="ClassifierEngine.OnnxRuntime"/>.
/// </summary>
public interface IOnnxExportable
{
    /// <summary>The network with its current weights as an ONNX model, opset <see cref="OnnxGraphBuilder.Opset"/>: the bytes of an <c>.onnx</c> file.</summary>
    /// <param name="info">The classifier's information, written as the model's metadata; null writes none.</param>
    /// <exception cref="OnnxExportException">A layer ONNX cannot express exactly; the message names it.</exception>
    byte[] ToOnnx(ModelInfo? info = null);

    /// <summary>Writes <see cref="ToOnnx"/> to <paramref name="path"/>, atomically.</summary>
    /// <param name="path">The <c>.onnx</c> file to write.</param>
    /// <param name="info">The classifier's information, written as the model's metadata; null writes none.</param>
    /// <exception cref="OnnxExportException">A layer ONNX cannot express exactly, or the file cannot be written; the message names it.</exception>
    void ExportOnnx(string path, ModelInfo? info = null);
}
