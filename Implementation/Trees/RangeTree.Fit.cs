using System.Numerics;

namespace Harness.Implementation;

/// <summary>
/// Free-space search. Within a branch, child i owns the free space from just past child i-1 to
/// its own last address (the first child from the window's start, the last child to its end);
/// a child is entered only if its cached summary says that space holds the request.
/// </summary>
public sealed partial class RangeTree<TValue>
{
    /// <summary>
    /// The highest <paramref name="start"/> such that <c>[start, start + size - 1]</c> lies in
    /// <c>[lo, hi]</c> and overlaps no range; with <paramref name="sizeAligned"/>, <c>start</c> is a
    /// multiple of roundup_pow_of_two(size) (2^64 admits only 0). O(log n): summaries are exact for
    /// children inside the window, so only the two window edges can send the search down in vain.
    /// </summary>
    public bool TryFindHighestFit(ulong lo, ulong hi, ulong size, bool sizeAligned, out ulong start)
    {
        start = 0;
        return size != 0 && lo <= hi && Highest(root, height, lo, hi, new Request(size, SizeShift(size, sizeAligned)), ref start);
    }

    /// <summary>The lowest such start; see <see cref="TryFindHighestFit"/>.</summary>
    public bool TryFindLowestFit(ulong lo, ulong hi, ulong size, bool sizeAligned, out ulong start) =>
        TryFindLowestFit(lo, hi, size, SizeShift(size, sizeAligned), out start);

    /// <summary>The lowest start that is a multiple of 2^<paramref name="alignShift"/>, which may be below the size's own power of two.</summary>
    public bool TryFindLowestFit(ulong lo, ulong hi, ulong size, int alignShift, out ulong start)
    {
        start = 0;
        return size != 0 && lo <= hi && Lowest(root, height, lo, hi, new Request(size, alignShift), ref start);
    }

    /// <summary>When size-aligned, log2 of roundup_pow_of_two(size) (64 for sizes above 2^63); else 0.</summary>
    private static int SizeShift(ulong size, bool sizeAligned) => !sizeAligned || size <= 1 ? 0 : 64 - BitOperations.LeadingZeroCount(size - 1);

    /// <summary>
    /// A size and log2 of the alignment its start needs. A summary admitting an aligned block
    /// larger than the alignment may still lack room for a size above it (an alignment capped below
    /// the size): such a child is entered and found wanting, never skipped when it holds a fit.
    /// </summary>
    private readonly record struct Request(ulong Size, int Shift)
    {
        public bool FitsIn(ulong gap, GapFit fit) => Shift > 0 ? fit.Admits(Size, Shift) && gap >= Size : gap >= Size;
    }

    private bool Highest(Node node, int level, ulong lo, ulong hi, Request request, ref ulong start)
    {
        if (level == 0)
            return HighestInLeaf((Leaf)node, lo, hi, request, ref start);
        var branch = (Branch)node;
        for (int i = branch.Count - 1; i >= 0; i--)
        {
            if (!Window(branch, i, lo, hi, out ulong wlo, out ulong whi))
            {
                if (whi < lo)
                    return false;
                continue;
            }

            if (branch.Start[i] > whi || branch.Last[i] < wlo)
            {
                if (HighestInGap(wlo, whi, request, ref start))
                    return true;
            }
            else if (MayFit(branch, i, wlo, whi, request) && Highest(branch.Child[i], level - 1, wlo, whi, request, ref start))
            {
                return true;
            }
        }

        return false;
    }

    private bool Lowest(Node node, int level, ulong lo, ulong hi, Request request, ref ulong start)
    {
        if (level == 0)
            return LowestInLeaf((Leaf)node, lo, hi, request, ref start);
        var branch = (Branch)node;
        for (int i = 0; i < branch.Count; i++)
        {
            if (!Window(branch, i, lo, hi, out ulong wlo, out ulong whi))
            {
                if (wlo > hi)
                    return false;
                continue;
            }

            if (branch.Start[i] > whi || branch.Last[i] < wlo)
            {
                if (LowestInGap(wlo, whi, request, ref start))
                    return true;
            }
            else if (MayFit(branch, i, wlo, whi, request) && Lowest(branch.Child[i], level - 1, wlo, whi, request, ref start))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Child <paramref name="i"/>'s share of <c>[lo, hi]</c>; false when it is empty.</summary>
    private static bool Window(Branch branch, int i, ulong lo, ulong hi, out ulong wlo, out ulong whi)
    {
        wlo = i == 0 ? lo : Math.Max(lo, branch.Last[i - 1] + 1);
        whi = i == branch.Count - 1 ? hi : Math.Min(hi, branch.Last[i]);
        return wlo <= whi;
    }

    /// <summary>
    /// Whether child <paramref name="i"/>'s free space in its window <c>[wlo, whi]</c> can hold the
    /// request. A child whose window is exactly the gap before it plus its span uses the cached
    /// lead summary; at the window's edges the summary is built here, and the child's own gaps
    /// outside the window may make it say yes where the search then finds nothing.
    /// </summary>
    private static bool MayFit(Branch branch, int i, ulong wlo, ulong whi, Request request)
    {
        if (i > 0 && i < branch.Count - 1 && wlo == branch.Last[i - 1] + 1 && whi == branch.Last[i])
            return request.FitsIn(branch.LeadGap[i], branch.LeadFit[i]);

        ulong gap = branch.OwnGap[i];
        var fit = branch.OwnFit[i];
        if (branch.Start[i] > wlo)
        {
            gap = Math.Max(gap, branch.Start[i] - wlo);
            fit = GapFit.Best(fit, GapFit.Of(wlo, branch.Start[i] - 1));
        }

        if (branch.Last[i] < whi)
        {
            gap = Math.Max(gap, whi - branch.Last[i]);
            fit = GapFit.Best(fit, GapFit.Of(branch.Last[i] + 1, whi));
        }

        return request.FitsIn(gap, fit);
    }

    /// <summary>The free runs of <c>[lo, hi]</c> between the leaf's ranges, highest first.</summary>
    private static bool HighestInLeaf(Leaf leaf, ulong lo, ulong hi, Request request, ref ulong start)
    {
        int n = leaf.Count;
        for (int i = n; i >= 0; i--)
        {
            if (i < n && leaf.Start[i] <= lo)
                return false;
            ulong gapHi = i == n ? hi : Math.Min(hi, leaf.Start[i] - 1);
            if (i > 0 && leaf.Last[i - 1] >= gapHi)
                continue;
            ulong gapLo = i == 0 ? lo : Math.Max(lo, leaf.Last[i - 1] + 1);
            if (HighestInGap(gapLo, gapHi, request, ref start))
                return true;
        }

        return false;
    }

    private static bool LowestInLeaf(Leaf leaf, ulong lo, ulong hi, Request request, ref ulong start)
    {
        int n = leaf.Count;
        for (int i = 0; i <= n; i++)
        {
            if (i > 0 && leaf.Last[i - 1] >= hi)
                return false;
            ulong gapLo = i == 0 ? lo : Math.Max(lo, leaf.Last[i - 1] + 1);
            if (i < n && leaf.Start[i] <= gapLo)
                continue;
            ulong gapHi = i == n ? hi : Math.Min(hi, leaf.Start[i] - 1);
            if (LowestInGap(gapLo, gapHi, request, ref start))
                return true;
        }

        return false;
    }

    private static bool HighestInGap(ulong lo, ulong hi, Request request, ref ulong start)
    {
        if (hi - lo < request.Size - 1)
            return false;
        ulong candidate = AlignDown(hi - (request.Size - 1), request.Shift);
        if (candidate < lo)
            return false;
        start = candidate;
        return true;
    }

    private static bool LowestInGap(ulong lo, ulong hi, Request request, ref ulong start)
    {
        if (!TryAlignUp(lo, request.Shift, out ulong candidate) || candidate > hi || hi - candidate < request.Size - 1)
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
