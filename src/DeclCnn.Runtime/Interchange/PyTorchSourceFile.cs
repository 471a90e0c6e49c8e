using System.IO;
using System.Text;
using DeclCnn.Runtime.Data;

namespace DeclCnn.Runtime.Interchange;

/// <summary>
/// Writes a declared network as a PyTorch module: the Python source its declaration generates (<c>PyTorchSource</c>)
/// in a <c>.py</c> file, which needs nothing but <c>torch</c> to import (docs/scale-out.md).
/// </summary>
public static class PyTorchSourceFile
{
    /// <summary>Writes <paramref name="source"/> to <paramref name="path"/> atomically: a crash never leaves a truncated file.</summary>
    /// <param name="path">The <c>.py</c> file to write.</param>
    /// <param name="source">A declared network's <c>PyTorchSource</c>.</param>
    /// <exception cref="IOException">The file cannot be written; an existing file is left unchanged.</exception>
    public static void Write(string path, string source) =>
        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(source)));
}
