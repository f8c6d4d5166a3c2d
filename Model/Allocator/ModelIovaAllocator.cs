namespace Harness.Model;

/// <summary>
/// The reference IOVA allocator (docs/SPEC.md §5): lists of allocated and reserved pfn ranges, and an
/// allocation that lists the free gaps of the allowed window and picks the highest (top-down)
/// or lowest (lowest-fit) aligned fit. O(n) per call, no caching, 128-bit arithmetic at the edges.
/// Both lists are kept in order of start, so a call is one pass over them, up to the window's end.
/// Lowest-fit follows the ideal rules or iommufd's <see cref="IoptAllocIova"/>.
/// </summary>
public sealed class ModelIovaAllocator : IIovaAllocator
{
    private readonly List<IovaRange> allocations = [];
    private readonly List<IovaRange> reserved = [];

    public ModelIovaAllocator(IovaDomain domain, AllocPolicy policy, LowestFitRules lowestFit = LowestFitRules.Ideal)
    {
        Domain = domain;
        Policy = policy;
        Iopt = policy == AllocPolicy.LowestFit && lowestFit == LowestFitRules.IoptAllocIova;
    }

    /// <summary>Whether this is iommufd's allocator rather than the ideal lowest fit.</summary>
    private bool Iopt { get; }

    public IovaDomain Domain { get; }

    public AllocPolicy Policy { get; }

    public IEnumerable<IovaRange> Allocations => allocations.ToList();

    /// <summary>An independent copy (for state-machine snapshots).</summary>
    public ModelIovaAllocator Clone()
    {
        var copy = new ModelIovaAllocator(Domain, Policy, Iopt ? LowestFitRules.IoptAllocIova : LowestFitRules.Ideal);
        copy.allocations.AddRange(allocations);
        copy.reserved.AddRange(reserved);
        return copy;
    }

    private Errno NoFit => Policy.NoFit();

    public Errno Alloc(ulong size, ulong limitPfn, bool sizeAligned, out ulong pfn)
    {
        pfn = 0;
        if (size == 0)
            return Errno.EINVAL;
        if (Iopt && IoptAllocIova.Overflows(Domain, size))
            return Errno.EOVERFLOW;
        if (!TryFindFit(size, limitPfn, sizeAligned, out pfn))
            return NoFit;
        InsertInOrder(allocations, IovaRange.FromSize(pfn, size));
        return Errno.Ok;
    }

    /// <summary>The policy's choice for this request, without allocating it.</summary>
    public bool TryFindFit(ulong size, ulong limitPfn, bool sizeAligned, out ulong pfn)
    {
        pfn = 0;
        // iommufd never hands out IOVA 0.
        ulong lowest = Policy.LowestPfn(Domain);
        ulong top = Iopt ? IoptAllocIova.Top(Domain, limitPfn) : limitPfn;
        if (size == 0 || top < lowest)
            return false;

        UInt128 align = Iopt ? (UInt128)1 << IoptAllocIova.AlignShift(Domain, size, sizeAligned) : sizeAligned ? RoundupPowOfTwo(size) : 1;
        var gaps = FreeGaps(new IovaRange(lowest, top));
        if (Policy == AllocPolicy.TopDown)
            gaps.Reverse();
        foreach (var gap in gaps)
        {
            if (gap.Size < size)
                continue;
            UInt128 candidate = Policy == AllocPolicy.TopDown
                ? (gap.Last - (UInt128)size + 1) / align * align
                : (gap.Start + align - 1) / align * align;
            if (candidate >= gap.Start && candidate + size - 1 <= gap.Last)
            {
                pfn = (ulong)candidate;
                return true;
            }
        }

        return false;
    }

    public Errno Reserve(ulong pfnLo, ulong pfnHi)
    {
        if (pfnLo > pfnHi)
            return Errno.EINVAL;
        if (Iopt && allocations.Any(a => a.Overlaps(new IovaRange(pfnLo, pfnHi))))
            return IoptAllocIova.ReserveOverArea;
        InsertInOrder(reserved, new IovaRange(pfnLo, pfnHi));
        return Errno.Ok;
    }

    public Errno Free(ulong pfn)
    {
        int index = allocations.FindIndex(a => a.Contains(pfn));
        if (index < 0)
            return Errno.ENOENT;
        allocations.RemoveAt(index);
        return Errno.Ok;
    }

    public bool Find(ulong pfn, out IovaRange allocation)
    {
        int index = allocations.FindIndex(a => a.Contains(pfn));
        allocation = index < 0 ? default : allocations[index];
        return index >= 0;
    }

    /// <summary>The maximal runs of <paramref name="window"/> that no allocation or reservation touches, ascending.</summary>
    private List<IovaRange> FreeGaps(IovaRange window)
    {
        var gaps = new List<IovaRange>();
        UInt128 cursor = window.Start;
        for (int i = 0, j = 0; i < allocations.Count || j < reserved.Count;)
        {
            var used = j == reserved.Count || (i < allocations.Count && allocations[i].Start <= reserved[j].Start) ? allocations[i++] : reserved[j++];
            if (used.Start > window.Last)
                break;
            if (used.Start > cursor)
                gaps.Add(new IovaRange((ulong)cursor, used.Start - 1));
            cursor = UInt128.Max(cursor, (UInt128)used.Last + 1);
        }

        if (cursor <= window.Last)
            gaps.Add(new IovaRange((ulong)cursor, window.Last));
        return gaps;
    }

    private static void InsertInOrder(List<IovaRange> ranges, IovaRange range)
    {
        int lo = 0, hi = ranges.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (ranges[mid].Start > range.Start)
                hi = mid;
            else
                lo = mid + 1;
        }

        ranges.Insert(lo, range);
    }


    /// <summary>roundup_pow_of_two, in 128 bits so sizes above 2^63 round to 2^64.</summary>
    public static UInt128 RoundupPowOfTwo(ulong size)
    {
        UInt128 power = 1;
        while (power < size)
            power <<= 1;
        return power;
    }
}
