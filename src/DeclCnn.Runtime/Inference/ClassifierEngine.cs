namespace DeclCnn.Runtime.Inference;

/// <summary>Which engine <see cref="Classifier.Load"/> runs a model file's network on.</summary>
public enum ClassifierEngine
{
    /// <summary>
    /// ONNX Runtime on the CPU, over the declaration's ONNX export made in memory (<see cref="OnnxRuntimeEngine"/>):
    /// the default, measured faster at every batch size (docs/inference.md, Throughput).
    /// </summary>
    OnnxRuntime,

    /// <summary>The TorchSharp module itself, in evaluation and inference mode, on the CPU or a GPU (<see cref="TorchSharpEngine"/>).</summary>
    TorchSharp,
}
