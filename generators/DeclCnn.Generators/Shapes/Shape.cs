using System.Globalization;

namespace DeclCnn.Generators.Shapes;

/// <summary>
/// The shape of one sample (the batch dimension is implicit): a feature map
/// <c>[channels, height, width]</c> or a flat vector <c>[features]</c>.
/// </summary>
internal readonly record struct Shape(bool IsFlat, long Channels, long Height, long Width)
{
    public static Shape Map(long channels, long height, long width) => new(false, channels, height, width);

    public static Shape Flat(long features) => new(true, features, 1, 1);

    /// <summary>Number of elements per sample.</summary>
    public long Elements => IsFlat ? Channels : checked(Channels * Height * Width);

    /// <summary>The rank of the batched tensor, <c>[N, ...]</c>.</summary>
    public int BatchedRank => IsFlat ? 2 : 4;

    /// <summary>The sizes per sample, as the summary lists them.</summary>
    public long[] Dimensions => IsFlat ? new[] { Channels } : new[] { Channels, Height, Width };

    /// <summary>Compact form for messages: <c>64x7x7</c> or <c>3136</c>.</summary>
    public override string ToString() =>
        IsFlat ? Format(Channels) : $"{Format(Channels)}x{Format(Height)}x{Format(Width)}";

    /// <summary>Batched tensor form for code comments: <c>[N, 64, 7, 7]</c>.</summary>
    public string ToTensorString() =>
        IsFlat ? $"[N, {Format(Channels)}]" : $"[N, {Format(Channels)}, {Format(Height)}, {Format(Width)}]";

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
