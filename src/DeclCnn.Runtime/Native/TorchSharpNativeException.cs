using System;

namespace DeclCnn.Runtime.Native;

/// <summary>The TorchSharp native compatibility fix was needed but could not be applied; the message says which file and why.</summary>
public sealed class TorchSharpNativeException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public TorchSharpNativeException()
        : base("The TorchSharp native compatibility fix could not be applied.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public TorchSharpNativeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public TorchSharpNativeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
