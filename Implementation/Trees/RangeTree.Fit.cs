namespace Harness.Implementation;

/// <summary>Free-space search: the highest or lowest aligned run of free addresses inside a window.</summary>
public sealed partial class RangeTree<TValue>
{
    /// <summary>
    /// The highest <paramref name="start"/> in <c>[lo, hi]</c> such that <c>[start, start + size - 1]</c>
    /// lies in the window, overlaps no range, and <c>start</c> is a multiple of <c>2^alignShift</c>
    /// (<paramref name="alignShift"/> 64 admits only 0). O(log n) plus one step for each gap long
    /// enough for <paramref name="size"/> whose alignment rules it out.
    /// </summary>
    public bool TryFindHighestFit(ulong lo, ulong hi, ulong size, int alignShift, out ulong start)
    {
        start = 0;
        return size != 0 && lo <= hi && Highest(root, lo, hi, size, alignShift, ref start);
    }

    /// <summary>The lowest such start; see <see cref="TryFindHighestFit"/>.</summary>
    public bool TryFindLowestFit(ulong lo, ulong hi, ulong size, int alignShift, out ulong start)
    {
        start = 0;
        return size != 0 && lo <= hi && Lowest(root, lo, hi, size, alignShift, ref start);
    }

    /// <summary>The free space considered is <c>[lo, hi]</c> minus the ranges of subtree <paramref name="n"/>.</summary>
    private bool Highest(int n, ulong lo, ulong hi, ulong size, int shift, ref ulong start)
    {
        if (n == Nil || nodes[n].SubStart > hi || nodes[n].SubLast < lo)
            return HighestInGap(lo, hi, size, shift, ref start);
        if (LargestFree(n, lo, hi) < size)
            return false;

        ref var node = ref nodes[n];
        return (node.Last < hi && Highest(node.Right, Math.Max(lo, node.Last + 1), hi, size, shift, ref start))
            || (node.Start > lo && Highest(node.Left, lo, Math.Min(hi, node.Start - 1), size, shift, ref start));
    }

    private bool Lowest(int n, ulong lo, ulong hi, ulong size, int shift, ref ulong start)
    {
        if (n == Nil || nodes[n].SubStart > hi || nodes[n].SubLast < lo)
            return LowestInGap(lo, hi, size, shift, ref start);
        if (LargestFree(n, lo, hi) < size)
            return false;

        ref var node = ref nodes[n];
        return (node.Start > lo && Lowest(node.Left, lo, Math.Min(hi, node.Start - 1), size, shift, ref start))
            || (node.Last < hi && Lowest(node.Right, Math.Max(lo, node.Last + 1), hi, size, shift, ref start));
    }

    /// <summary>An upper bound on the longest free run in <c>[lo, hi]</c> around subtree <paramref name="n"/>, which overlaps the window.</summary>
    private ulong LargestFree(int n, ulong lo, ulong hi)
    {
        ref var node = ref nodes[n];
        ulong leading = node.SubStart > lo ? node.SubStart - lo : 0;
        ulong trailing = node.SubLast < hi ? hi - node.SubLast : 0;
        return Math.Max(node.SubGap, Math.Max(leading, trailing));
    }

    private static bool HighestInGap(ulong lo, ulong hi, ulong size, int shift, ref ulong start)
    {
        if (hi - lo < size - 1)
            return false;
        ulong candidate = AlignDown(hi - (size - 1), shift);
        if (candidate < lo)
            return false;
        start = candidate;
        return true;
    }

    private static bool LowestInGap(ulong lo, ulong hi, ulong size, int shift, ref ulong start)
    {
        if (!TryAlignUp(lo, shift, out ulong candidate) || candidate > hi || hi - candidate < size - 1)
            return false;
        start = candidate;
        return true;
    }

    private static ulong AlignDown(ulong value, int shift) => shift >= 64 ? 0 : value & ~((1UL << shift) - 1);

    private static bool TryAlignUp(ulong value, int shift, out ulong aligned)
    {
        if (shift >= 64)
        {
            aligned = 0;
            return value == 0;
        }

        ulong mask = (1UL << shift) - 1;
        aligned = (value + mask) & ~mask;
        return aligned >= value;
    }
}
