namespace DeclCnn.Runtime.Interchange;

/// <summary>The weight file formats <see cref="ModuleWeights"/> reads and writes.</summary>
public enum WeightFormat
{
    /// <summary>
    /// PyTorch's <c>torch.save(model.state_dict(), path)</c>: a zip archive holding a Python pickle and one entry per
    /// tensor (the <c>.pth</c> or <c>.pt</c> files PyTorch writes since version 1.6). Reading it checks the pickle
    /// against an allow-list first: only tensors and plain containers are accepted.
    /// </summary>
    PyTorch,

    /// <summary>
    /// Hugging Face's <c>.safetensors</c>: a JSON header and raw tensor data, no code. The format to prefer for files
    /// from sources you do not trust.
    /// </summary>
    Safetensors,

    /// <summary>TorchSharp's own format, written by <c>Module.save</c> and read by <c>Module.load</c>.</summary>
    TorchSharp,
}
