namespace DeclCnn.Generators;

/// <summary>Fully qualified names the generator looks up, in one place.</summary>
internal static class MetadataNames
{
    public const string Namespace = "DeclCnn";
    public const string InputAttribute = "DeclCnn.InputAttribute";
    public const string LayerAttribute = "DeclCnn.LayerAttribute";
    public const string BlockAttribute = "DeclCnn.BlockAttribute";
    public const string BlockParameters = "DeclCnn.Block";
    public const string WeightInitAttribute = "DeclCnn.WeightInitAttribute";
    public const string TorchSharpTorch = "TorchSharp.torch";
    public const string TorchSharpNative = "DeclCnn.Runtime.TorchSharpNative";
    public const string ModuleInitializerAttribute = "System.Runtime.CompilerServices.ModuleInitializerAttribute";

    /// <summary>The concrete layer attributes, by metadata name; each can mark a class that lacks [Input].</summary>
    public static readonly string[] LayerAttributes =
    {
        "DeclCnn.ConvAttribute",
        "DeclCnn.MaxPoolAttribute",
        "DeclCnn.AvgPoolAttribute",
        "DeclCnn.AdaptiveAvgPoolAttribute",
        "DeclCnn.GlobalAvgPoolAttribute",
        "DeclCnn.FlattenAttribute",
        "DeclCnn.DenseAttribute",
        "DeclCnn.BatchNormAttribute",
        "DeclCnn.DropoutAttribute",
        "DeclCnn.UpsampleAttribute",
        "DeclCnn.LocalResponseNormAttribute",
        "DeclCnn.ReLUAttribute",
        "DeclCnn.LeakyReLUAttribute",
        "DeclCnn.SigmoidAttribute",
        "DeclCnn.TanhAttribute",
        "DeclCnn.SiLUAttribute",
        "DeclCnn.GELUAttribute",
        "DeclCnn.SoftmaxAttribute",
        "DeclCnn.LogSoftmaxAttribute",
        "DeclCnn.StageAttribute`1",
    };
}
