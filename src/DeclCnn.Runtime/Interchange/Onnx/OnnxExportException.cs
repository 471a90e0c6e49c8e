using System;

namespace DeclCnn.Runtime.Interchange.Onnx;

/// <summary>
/// A network could not be exported to ONNX: a layer has no faithful ONNX form (the message names the layer and says
/// what to change), a weight the graph needs is missing from the module, or the model file could not be written. No
/// file is written when this is thrown.
/// </summary>
public sealed class OnnxExportException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public OnnxExportException()
        : base("The network could not be exported to ONNX.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public OnnxExportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public OnnxExportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
