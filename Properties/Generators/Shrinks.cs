namespace Harness.Properties;

/// <summary>Simpler candidates for numbers, simplest first, as FsCheck's integer shrinker orders them.</summary>
public static class Shrinks
{
    /// <summary>0, then values approaching <paramref name="value"/> from below by halving the distance.</summary>
    public static IEnumerable<ulong> U64(ulong value)
    {
        if (value == 0)
            yield break;
        yield return 0;
        for (ulong distance = value / 2; distance > 0; distance /= 2)
            yield return value - distance;
    }

    /// <summary>Like <see cref="U64"/> but keeping multiples of <paramref name="granule"/> (a power of two).</summary>
    public static IEnumerable<ulong> Aligned(ulong value, ulong granule)
    {
        int shift = System.Numerics.BitOperations.TrailingZeroCount(granule);
        return U64(value >> shift).Select(v => v << shift).Where(v => v != value);
    }

    /// <summary>
    /// Fewer repetitions of a call made <paramref name="count"/> times: one, then counts approaching
    /// it from below by halving the distance, so a failure that needs thousands converges on its
    /// threshold in a few rounds instead of one repetition a round.
    /// </summary>
    public static IEnumerable<int> Counts(int count) => Positive((ulong)count).Select(c => (int)c);

    /// <summary>Like <see cref="U64"/> but never below 1.</summary>
    public static IEnumerable<ulong> Positive(ulong value) => U64(value).Where(v => v != 0);

    /// <summary>A range <c>[lo, hi]</c> shortened from its end, then slid down keeping its length.</summary>
    public static IEnumerable<(ulong Lo, ulong Hi)> Range(ulong lo, ulong hi) =>
        U64(hi).Where(h => h >= lo).Select(h => (lo, h))
            .Concat(U64(lo).Select(l => (l, hi - (lo - l))));
}
