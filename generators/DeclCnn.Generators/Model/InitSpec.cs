namespace DeclCnn.Generators.Model;

/// <summary>A class's <c>[WeightInit]</c>: the weights' initialization and its parameters.</summary>
internal sealed record InitSpec(Init Convolutions, Init Dense, FanMode Mode, double Std, double Value, bool ZeroInitLastBatchNorm);
