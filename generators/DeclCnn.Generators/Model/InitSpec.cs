namespace DeclCnn.Generators.Model;

/// <summary>Mirrors <c>DeclCnn.Init</c>.</summary>
internal enum WeightInit
{
    Default,
    KaimingNormal,
    KaimingUniform,
    XavierUniform,
    XavierNormal,
    Normal,
    Constant,
}

/// <summary>A class's <c>[WeightInit]</c>: the weights' initialization and its parameters.</summary>
internal sealed record InitSpec(WeightInit Convolutions, WeightInit Dense, bool FanOut, double Std, double Value, bool ZeroInitLastBatchNorm);
