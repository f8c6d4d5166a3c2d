using System.Numerics;
using System.Runtime.CompilerServices;

namespace Harness.Implementation;

/// <summary>
/// What a free gap <c>[a, b]</c> can hold under size alignment. <c>Order</c> is the largest k such
/// that the gap contains a whole 2^k-aligned block of 2^k; <c>Excess</c> is the room from the
/// first 2^(Order+1)-aligned address in the gap to its end. A request of <c>size</c> with
/// <c>2^(k-1) &lt; size &lt;= 2^k</c>, aligned to 2^k, fits in the gap exactly when Order &gt;= k, or
/// Order = k - 1 and Excess &gt;= size: such a fit covers a whole aligned 2^(k-1) block, and a gap
/// without an aligned 2^k block has at most one 2^k-aligned candidate. For a set of gaps only
/// the highest Order and, among those, the largest Excess matter, so summaries merge in O(1).
/// </summary>
/// <remarks>
/// <see cref="Rank"/> stores Order + 1 so that the default value means "no gap". Since Excess is
/// below 2^Rank, fits order lexicographically by (Rank, Excess): the best of several is their
/// maximum, and a request admits exactly the fits at or above (its shift, its size).
/// </remarks>
internal readonly record struct GapFit(byte Rank, ulong Excess)
{
    public static GapFit None => default;

    /// <summary>The gap strictly between a range ending at <paramref name="last"/> and the next starting at <paramref name="next"/>.</summary>
    public static GapFit Between(ulong last, ulong next) => next - last > 1 ? Of(last + 1, next - 1) : None;

    public static GapFit Of(ulong a, ulong b)
    {
        ulong lengthMinusOne = b - a;
        int k = lengthMinusOne == ulong.MaxValue ? 64 : BitOperations.Log2(lengthMinusOne + 1);
        int order = ContainsAlignedBlock(a, b, k) ? k : k - 1;
        return new GapFit((byte)(order + 1), order + 1 <= 64 ? RoomFromAligned(a, b, order + 1) : 0);
    }

    /// <summary>Whether a request of <paramref name="size"/> aligned to 2^<paramref name="shift"/> (its roundup_pow_of_two) fits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Admits(ulong size, int shift) => Rank > shift || (Rank == shift && Excess >= size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GapFit Best(GapFit x, GapFit y) => x.Rank > y.Rank || (x.Rank == y.Rank && x.Excess >= y.Excess) ? x : y;

    private static bool ContainsAlignedBlock(ulong a, ulong b, int k)
    {
        if (k == 64)
            return a == 0 && b == ulong.MaxValue;
        ulong mask = (1UL << k) - 1;
        ulong first = (a + mask) & ~mask;
        return first >= a && first <= b && b - first >= mask;
    }

    /// <summary>b + 1 - AlignUp(a, 2^k), or 0 when no 2^k-aligned address lies in <c>[a, b]</c>.</summary>
    private static ulong RoomFromAligned(ulong a, ulong b, int k)
    {
        if (k == 64)
            return a == 0 ? b + 1 : 0;
        ulong mask = (1UL << k) - 1;
        ulong first = (a + mask) & ~mask;
        return first >= a && first <= b ? b - first + 1 : 0;
    }
}
