using System;

namespace DeclCnn.Runtime.Data.Augmentation;

/// <summary>
/// The seeded source of every augmentation parameter (crop offsets, flips, angles, erased boxes). Parameters are
/// drawn on the host from SplitMix64, a fully specified generator, and sent to the device as small tensors:
/// the same seed gives the same parameters on every machine, runtime and device, and independently of how
/// batches are prefetched.
/// </summary>
public sealed class AugmentationRandom
{
    private SplitMix64 generator;

    /// <summary>Starts the sequence at <paramref name="seed"/>.</summary>
    public AugmentationRandom(ulong seed) => generator = new SplitMix64(seed);

    /// <summary>A uniform double in [0, 1), with 53 random bits.</summary>
    public double NextDouble() => (generator.Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform double in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double NextDouble(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>A uniform integer in [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is empty.</exception>
    public int NextInt(int minInclusive, int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxExclusive, minInclusive);
        return minInclusive + (int)generator.NextBelow((ulong)((long)maxExclusive - minInclusive));
    }

    /// <summary>True with probability <paramref name="probability"/>; draws one number even when it is 0 or 1, so later draws do not shift.</summary>
    public bool NextBool(double probability) => NextDouble() < probability;
}
