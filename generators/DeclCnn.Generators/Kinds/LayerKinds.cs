using System.Collections.Generic;

namespace DeclCnn.Generators.Kinds;

/// <summary>
/// The layer vocabulary: every layer attribute and its kind, one line each, keyed by the attribute's
/// metadata name (<c>ConvAttribute</c>, <c>StageAttribute`1</c>; all live in the <c>DeclCnn</c>
/// namespace, which the parser checks through their <c>LayerAttribute</c> base).
/// </summary>
internal static class LayerKinds
{
    private static readonly Dictionary<string, LayerKind> ByAttribute = new()
    {
        [typeof(ConvAttribute).Name] = ConvKind.Instance,
        [typeof(ConvTransposeAttribute).Name] = ConvTransposeKind.Instance,
        [typeof(MaxPoolAttribute).Name] = PoolKind.Max,
        [typeof(AvgPoolAttribute).Name] = PoolKind.Avg,
        [typeof(AdaptiveAvgPoolAttribute).Name] = AdaptivePoolKind.Avg,
        [typeof(GlobalAvgPoolAttribute).Name] = AdaptivePoolKind.GlobalAvg,
        [typeof(AdaptiveMaxPoolAttribute).Name] = AdaptivePoolKind.Max,
        [typeof(GlobalMaxPoolAttribute).Name] = AdaptivePoolKind.GlobalMax,
        [typeof(FlattenAttribute).Name] = FlattenKind.Instance,
        [typeof(DenseAttribute).Name] = DenseKind.Instance,
        [typeof(BatchNormAttribute).Name] = BatchNormKind.Instance,
        [typeof(GroupNormAttribute).Name] = GroupNormKind.Instance,
        [typeof(DropoutAttribute).Name] = DropoutKind.Elements,
        [typeof(Dropout2dAttribute).Name] = DropoutKind.Channels,
        [typeof(ReLUAttribute).Name] = ElementwiseKind.ReLU,
        [typeof(SigmoidAttribute).Name] = ElementwiseKind.Sigmoid,
        [typeof(TanhAttribute).Name] = ElementwiseKind.Tanh,
        [typeof(SiLUAttribute).Name] = ElementwiseKind.SiLU,
        [typeof(GELUAttribute).Name] = ElementwiseKind.GELU,
        [typeof(IdentityAttribute).Name] = ElementwiseKind.Identity,
        [typeof(LeakyReLUAttribute).Name] = LeakyReLUKind.Instance,
        [typeof(ELUAttribute).Name] = ELUKind.Instance,
        [typeof(PReLUAttribute).Name] = PReLUKind.Instance,
        [typeof(SoftmaxAttribute).Name] = SoftmaxKind.Softmax,
        [typeof(LogSoftmaxAttribute).Name] = SoftmaxKind.LogSoftmax,
        [typeof(UpsampleAttribute).Name] = UpsampleKind.Instance,
        [typeof(ZeroPadAttribute).Name] = ZeroPadKind.Instance,
        [typeof(LocalResponseNormAttribute).Name] = LocalResponseNormKind.Instance,
        [typeof(StageAttribute<>).Name] = StageKind.Instance,
        [typeof(AddAttribute).Name] = JoinKind.Add,
        [typeof(ConcatAttribute).Name] = JoinKind.Concat,
    };

    /// <summary>The kind of a layer attribute, by the attribute class's metadata name; null for an attribute that is not a layer.</summary>
    public static LayerKind? Find(string attributeMetadataName) =>
        ByAttribute.TryGetValue(attributeMetadataName, out var kind) ? kind : null;
}
