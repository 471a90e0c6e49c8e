using Microsoft.CodeAnalysis;

namespace DeclCnn.Generators;

/// <summary>Fully qualified names the generator looks up, in one place.</summary>
internal static class MetadataNames
{
    public const string Namespace = "DeclCnn";
    public const string InputAttribute = "DeclCnn.InputAttribute";
    public const string LayerAttribute = "DeclCnn.LayerAttribute";
    public const string BlockAttribute = "DeclCnn.BlockAttribute";
    public const string BackboneAttribute = "DeclCnn.BackboneAttribute`1";
    public const string BlockParameters = "DeclCnn.Block";
    public const string WeightInitAttribute = "DeclCnn.WeightInitAttribute";
    public const string TorchSharpTorch = "TorchSharp.torch";
    public const string TorchSharpNative = "DeclCnn.Runtime.Native.TorchSharpNative";
    public const string OnnxGraphBuilder = "DeclCnn.Runtime.Interchange.Onnx.OnnxGraphBuilder";
    public const string ModuleInitializerAttribute = "System.Runtime.CompilerServices.ModuleInitializerAttribute";

    /// <summary>
    /// Whether <paramref name="type"/> is the DSL type named <paramref name="metadataName"/> (one of the
    /// constants above). Compared part by part, without formatting the symbol's name: this runs for
    /// every attribute of every model on every edit.
    /// </summary>
    public static bool Is(ITypeSymbol? type, string metadataName) =>
        type is { ContainingType: null, ContainingNamespace: { Name: Namespace, ContainingNamespace.IsGlobalNamespace: true } }
        && metadataName.Length == Namespace.Length + 1 + type.MetadataName.Length
        && string.CompareOrdinal(metadataName, Namespace.Length + 1, type.MetadataName, 0, type.MetadataName.Length) == 0;
}
