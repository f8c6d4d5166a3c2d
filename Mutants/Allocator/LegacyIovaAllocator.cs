using System.Numerics;
using Harness.Model;

namespace Harness.Mutants;

/// <summary>
/// Linux iova.c's top-down allocator the way the 2016–2019 kernels walked: from the first iova
/// below the (exclusive) limit backwards (rb_prev), trying the gap above each iova, then the gap
/// above start_pfn; the candidate is <c>(high_pfn - size) &amp; align_mask</c>. Written here,
/// correct as it stands (it passes the allocator property), so that each historical bug is one
/// small override in a subclass. Reserve, free and find keep plain lists, as the model does.
/// </summary>
public class LegacyIovaAllocator(IovaDomain domain) : IIovaAllocator
{
    private readonly List<IovaRange> allocations = [];
    private readonly List<IovaRange> reserved = [];

    public IovaDomain Domain { get; } = domain;

    public IEnumerable<IovaRange> Allocations => allocations.OrderBy(a => a.Start).ToList();

    public Errno Alloc(ulong size, ulong limitPfn, bool sizeAligned, out ulong pfn)
    {
        pfn = 0;
        if (size == 0)
            return Errno.EINVAL;
        ulong alignMask = sizeAligned && size > 1 ? AlignMask(size) : ulong.MaxValue;
        if (!Walk(Occupied(), size, limitPfn, alignMask, out pfn))
            return Errno.ENOMEM;
        allocations.Add(IovaRange.FromSize(pfn, size));
        Allocated(pfn, size);
        return Errno.Ok;
    }

    /// <summary>~0UL &lt;&lt; fls_long(size - 1); sizes above 2^63 leave no bits (only pfn 0 aligns).</summary>
    private static ulong AlignMask(ulong size)
    {
        int shift = 64 - BitOperations.LeadingZeroCount(size - 1);
        return shift >= 64 ? 0 : ulong.MaxValue << shift;
    }

    /// <summary>The walk of __alloc_and_insert_iova_range over the occupied ranges, ascending and disjoint.</summary>
    protected virtual bool Walk(IReadOnlyList<IovaRange> occupied, ulong size, ulong limitPfn, ulong alignMask, out ulong pfn)
    {
        UInt128 high = (UInt128)Math.Min(limitPfn, CursorLimit(limitPfn)) + 1;
        int i = occupied.Count - 1;
        while (i >= 0 && occupied[i].Start >= high)
            i--;
        for (; i >= 0; i--)
        {
            if (TryGap(UInt128.Max((UInt128)occupied[i].Last + 1, Domain.StartPfn), high, size, alignMask, bottom: false, out pfn))
                return true;
            high = UInt128.Min(high, occupied[i].Start);
        }

        return TryGap(Domain.StartPfn, high, size, alignMask, bottom: true, out pfn);
    }

    /// <summary>Places the request at the top of <c>[low, high)</c>, aligned down; false when it does not fit.</summary>
    protected virtual bool TryGap(UInt128 low, UInt128 high, ulong size, ulong alignMask, bool bottom, out ulong pfn)
    {
        pfn = 0;
        if (high < size)
            return false;
        ulong candidate = (ulong)(high - size) & alignMask;
        if (candidate < low)
            return false;
        pfn = candidate;
        return true;
    }

    /// <summary>Where the walk may start (a cached node below the limit, in the kernels that keep one); the limit itself here.</summary>
    protected virtual ulong CursorLimit(ulong limitPfn) => limitPfn;

    /// <summary>Called after a successful allocation (for the kernels' cached state).</summary>
    protected virtual void Allocated(ulong pfn, ulong size)
    {
    }

    /// <summary>Called after a free (for the kernels' cached state).</summary>
    protected virtual void Freed(IovaRange freed)
    {
    }

    public Errno Reserve(ulong pfnLo, ulong pfnHi)
    {
        if (pfnLo > pfnHi)
            return Errno.EINVAL;
        reserved.Add(new IovaRange(pfnLo, pfnHi));
        return Errno.Ok;
    }

    public Errno Free(ulong pfn)
    {
        int index = allocations.FindIndex(a => a.Contains(pfn));
        if (index < 0)
            return Errno.ENOENT;
        var freed = allocations[index];
        allocations.RemoveAt(index);
        Freed(freed);
        return Errno.Ok;
    }

    public bool Find(ulong pfn, out IovaRange allocation)
    {
        int index = allocations.FindIndex(a => a.Contains(pfn));
        allocation = index < 0 ? default : allocations[index];
        return index >= 0;
    }

    /// <summary>Allocations and reservations as ascending, disjoint ranges: what the kernel's rbtree holds.</summary>
    private List<IovaRange> Occupied()
    {
        var merged = new List<IovaRange>();
        foreach (var range in allocations.Concat(reserved).OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && range.Start <= merged[^1].Last)
                merged[^1] = new IovaRange(merged[^1].Start, Math.Max(merged[^1].Last, range.Last));
            else
                merged.Add(range);
        }

        return merged;
    }
}
