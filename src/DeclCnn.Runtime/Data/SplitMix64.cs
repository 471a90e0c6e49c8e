using System;

namespace DeclCnn.Runtime.Data;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fully specified generator. Used instead of
/// <see cref="Random"/>, whose algorithm is not guaranteed across .NET versions, wherever an order
/// must be identical on every machine and runtime (the converted files, the batch order).
/// </summary>
internal struct SplitMix64
{
    private ulong state;

    /// <summary>Starts the sequence at <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => state = seed;

    /// <summary>Returns the next 64 random bits.</summary>
    public ulong Next()
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Returns a uniform integer in [0, <paramref name="bound"/>) without modulo bias (Lemire's method).</summary>
    public ulong NextBelow(ulong bound)
    {
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong high = Math.BigMul(Next(), bound, out ulong low);
            if (low >= threshold)
            {
                return high;
            }
        }
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher-Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = (int)NextBelow((ulong)i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>Derives an independent seed for stream <paramref name="stream"/> of <paramref name="seed"/> (e.g. one per epoch).</summary>
    public static ulong Derive(ulong seed, ulong stream) => new SplitMix64(seed ^ new SplitMix64(stream).Next()).Next();

    /// <summary>The dataset indices of one epoch in visiting order: 0..count-1, shuffled from (seed, epoch) when asked.</summary>
    public static long[] EpochOrder(long count, bool shuffle, ulong seed, int epoch)
    {
        var order = new long[count];
        for (long i = 0; i < order.LongLength; i++)
        {
            order[i] = i;
        }

        if (shuffle)
        {
            new SplitMix64(Derive(seed, (ulong)epoch)).Shuffle(order.AsSpan());
        }

        return order;
    }
}
