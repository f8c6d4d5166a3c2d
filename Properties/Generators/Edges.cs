using FsCheck;
using FsCheck.Fluent;

namespace Harness.Properties;

/// <summary>
/// u64 generators aimed where the historical bugs were (docs/SPEC.md §8): 0 and 1, page boundaries,
/// 2^32, 2^48, 2^63 and 2^64 - 1, and small offsets around each.
/// </summary>
public static class Edges
{
    /// <summary>The landmarks themselves, for decoders that pick one by index.</summary>
    public static IReadOnlyList<ulong> Landmarks { get; } =
    [
        0, 1, 2, 0xfff, 0x1000, 0x1001, 0x200000, 0x40000000,
        0xffff_ffff, 0x1_0000_0000, 0xffff_ffff_ffff, 0x1_0000_0000_0000,
        0x7fff_ffff_ffff_ffff, 0x8000_0000_0000_0000, ulong.MaxValue - 0x1000, ulong.MaxValue - 1, ulong.MaxValue,
    ];

    /// <summary>Any u64, uniformly.</summary>
    public static Gen<ulong> Uniform { get; } =
        from hi in Gen.Choose(int.MinValue, int.MaxValue)
        from lo in Gen.Choose(int.MinValue, int.MaxValue)
        select ((ulong)(uint)hi << 32) | (uint)lo;

    /// <summary>0 to <paramref name="max"/> inclusive (<paramref name="max"/> below 2^31).</summary>
    public static Gen<ulong> UpTo(ulong max) => Gen.Choose(0, (int)Math.Min(max, int.MaxValue)).Select(v => (ulong)v);

    /// <summary>A landmark, a landmark nudged by a little, a small number, or anything.</summary>
    public static Gen<ulong> Any { get; } = Gen.Frequency([
        (3, Gen.Elements<ulong>(Landmarks)),
        (3, from landmark in Gen.Elements<ulong>(Landmarks)
            from delta in Gen.Choose(-16, 16)
            select unchecked(landmark + (ulong)(long)delta)),
        (2, UpTo(0x10000)),
        (1, Uniform)]);

    /// <summary>A multiple of <paramref name="granule"/> near the landmarks, or anywhere.</summary>
    public static Gen<ulong> Aligned(ulong granule) => Any.Select(v => v & ~(granule - 1));

    /// <summary><paramref name="value"/> plus or minus a few granules, wrapping freely (wraps are edges too).</summary>
    public static Gen<ulong> Near(ulong value, ulong granule) =>
        Gen.Choose(-3, 3).Select(k => unchecked(value + ((ulong)(long)k * granule)));

    /// <summary>A size of 1–8 units mostly, sometimes up to 1024, rarely enormous.</summary>
    public static Gen<ulong> Count { get; } = Gen.Frequency([
        (6, Gen.Choose(1, 8).Select(v => (ulong)v)),
        (3, Gen.Choose(1, 1024).Select(v => (ulong)v)),
        (1, Gen.Elements(0UL, 0x8000_0000_0000_0001UL, ulong.MaxValue, 1UL << 32))]);
}
