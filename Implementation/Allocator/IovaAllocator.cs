using System.Numerics;
using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// The optimized IOVA allocator (docs/SPEC.md §5): one <see cref="RangeTree{TValue}"/> of occupied
/// pfn ranges (allocations, reserved space, parked cache entries) whose gap annotations make
/// every search O(log n). Gives exactly the model's answers; with an <see cref="IovaRcache"/>
/// in front, small sizes are rounded up to powers of two and may be served from the cache.
/// </summary>
public sealed class IovaAllocator : IIovaAllocator, IInvariantChecked
{
    private readonly RangeTree<IovaSegment> tree = new();
    private readonly ReservedUnion reserved = new();
    private readonly IovaRcache? rcache;

    public IovaAllocator(IovaDomain domain, AllocPolicy policy, bool useRcache = false, LowestFitRules lowestFit = LowestFitRules.Ideal)
    {
        Domain = domain;
        Policy = policy;
        rcache = useRcache ? new IovaRcache() : null;
        iopt = policy == AllocPolicy.LowestFit && lowestFit == LowestFitRules.IoptAllocIova;
    }

    /// <summary>iommufd's lowest fit (<see cref="IoptAllocIova"/>) rather than the ideal one.</summary>
    private readonly bool iopt;

    public IovaDomain Domain { get; }

    public AllocPolicy Policy { get; }

    /// <summary>Live allocations (not reservations, not cached entries).</summary>
    public int AllocationCount { get; private set; }

    public Errno Alloc(ulong size, ulong limitPfn, bool sizeAligned, out ulong pfn)
    {
        pfn = 0;
        if (size == 0)
            return Errno.EINVAL;
        if (iopt && IoptAllocIova.Overflows(Domain, size))
            return Errno.EOVERFLOW;
        if (rcache is not null && size <= IovaRcache.MaxSize)
        {
            size = BitOperations.RoundUpToPowerOf2(size);
            if (rcache.TryGet(size, LowestPfn, limitPfn, sizeAligned, out pfn))
            {
                tree.TrySetValue(pfn, IovaSegment.Allocated);
                AllocationCount++;
                return Errno.Ok;
            }
        }

        if (!TryFindFit(size, limitPfn, sizeAligned, out pfn))
        {
            // As alloc_iova_fast does: give every cached range back and try once more.
            if (rcache is null || !rcache.Flush(this))
                return Policy.NoFit();
            if (!TryFindFit(size, limitPfn, sizeAligned, out pfn))
                return Policy.NoFit();
        }

        tree.Insert(pfn, pfn + (size - 1), IovaSegment.Allocated);
        AllocationCount++;
        return Errno.Ok;
    }

    private ulong LowestPfn => Policy.LowestPfn(Domain);

    private bool TryFindFit(ulong size, ulong limitPfn, bool sizeAligned, out ulong pfn) =>
        Policy == AllocPolicy.TopDown
            ? tree.TryFindHighestFit(LowestPfn, limitPfn, size, sizeAligned, out pfn)
            : iopt
                ? tree.TryFindLowestFit(LowestPfn, IoptAllocIova.Top(Domain, limitPfn), size, IoptAllocIova.AlignShift(Domain, size, sizeAligned), out pfn)
                : tree.TryFindLowestFit(LowestPfn, limitPfn, size, sizeAligned, out pfn);

    public Errno Reserve(ulong pfnLo, ulong pfnHi)
    {
        if (pfnLo > pfnHi)
            return Errno.EINVAL;
        if (iopt && HoldsAllocation(pfnLo, pfnHi))
            return IoptAllocIova.ReserveOverArea;

        // A parked range is free to the caller; reserving over it must not let the cache hand it out again.
        rcache?.Flush(this);
        reserved.Add(pfnLo, pfnHi);
        FillReserved(pfnLo, pfnHi);
        return Errno.Ok;
    }

    private bool HoldsAllocation(ulong lo, ulong hi)
    {
        for (ulong cursor = lo; tree.FindFirstOverlapping(cursor, hi, out _, out ulong last, out var segment);)
        {
            if (segment == IovaSegment.Allocated)
                return true;
            if (last >= hi)
                return false;
            cursor = last + 1;
        }

        return false;
    }

    /// <summary>Marks every unoccupied pfn of <c>[lo, hi]</c> reserved in the tree.</summary>
    private void FillReserved(ulong lo, ulong hi)
    {
        for (ulong cursor = lo; ;)
        {
            if (!tree.FindFirstOverlapping(cursor, hi, out ulong start, out ulong last, out _))
            {
                tree.Insert(cursor, hi, IovaSegment.Reserved);
                return;
            }

            if (start > cursor)
                tree.Insert(cursor, start - 1, IovaSegment.Reserved);
            if (last >= hi)
                return;
            cursor = last + 1;
        }
    }

    public Errno Free(ulong pfn)
    {
        if (rcache is null)
        {
            if (!tree.RemoveIf(pfn, IovaSegment.Allocated, out ulong removedStart, out ulong removedLast))
                return Errno.ENOENT;
            AllocationCount--;
            RestoreReserved(removedStart, removedLast);
            return Errno.Ok;
        }

        if (!tree.FindContaining(pfn, out ulong start, out ulong last, out var segment) || segment != IovaSegment.Allocated)
            return Errno.ENOENT;
        AllocationCount--;
        if (last - start < IovaRcache.MaxSize && !reserved.Overlaps(start, last))
        {
            tree.TrySetValue(start, IovaSegment.Cached);
            rcache.Insert(this, start, last - start + 1);
        }
        else
        {
            Release(start, last);
        }

        return Errno.Ok;
    }

    /// <summary>Returns an allocated or cached range to free space, or to reserved space where a reservation covers it.</summary>
    internal void Release(ulong start, ulong last)
    {
        tree.Remove(start);
        RestoreReserved(start, last);
    }

    private void RestoreReserved(ulong start, ulong last)
    {
        for (int i = reserved.FirstEndingAtOrAfter(start); i < reserved.Count && reserved[i].Start <= last; i++)
            tree.Insert(Math.Max(start, reserved[i].Start), Math.Min(last, reserved[i].Last), IovaSegment.Reserved);
    }

    public IEnumerable<IovaRange> Allocations =>
        tree.InOrder().Where(r => r.Value == IovaSegment.Allocated).Select(r => new IovaRange(r.Start, r.Last));

    public bool Find(ulong pfn, out IovaRange allocation)
    {
        allocation = default;
        if (!tree.FindContaining(pfn, out ulong start, out ulong last, out var segment) || segment != IovaSegment.Allocated)
            return false;
        allocation = new IovaRange(start, last);
        return true;
    }

    /// <summary>The tree, the reserved union and the rcache agree with each other.</summary>
    public void CheckInvariants()
    {
        tree.CheckInvariants();
        reserved.CheckInvariants();
        int allocated = 0, cached = 0;
        foreach (var (start, last, segment) in tree.InOrder())
        {
            allocated += segment == IovaSegment.Allocated ? 1 : 0;
            cached += segment == IovaSegment.Cached ? 1 : 0;
            if (segment == IovaSegment.Reserved && !CoveredByReservation(start, last))
                throw new InvariantViolation($"reserved segment [0x{start:x}, 0x{last:x}] is outside every reservation");
        }

        if (allocated != AllocationCount)
            throw new InvariantViolation($"tree holds {allocated} allocations but the count is {AllocationCount}");
        if (cached != (rcache?.Count ?? 0))
            throw new InvariantViolation($"tree holds {cached} cached ranges but the rcache holds {rcache?.Count ?? 0}");
        for (int i = 0; i < reserved.Count; i++)
        {
            for (ulong cursor = reserved[i].Start; ;)
            {
                if (!tree.FindContaining(cursor, out _, out ulong last, out _))
                    throw new InvariantViolation($"reserved pfn 0x{cursor:x} is free in the tree");
                if (last >= reserved[i].Last)
                    break;
                cursor = last + 1;
            }
        }

        rcache?.CheckInvariants(tree);
    }

    private bool CoveredByReservation(ulong start, ulong last)
    {
        int i = reserved.FirstEndingAtOrAfter(start);
        return i < reserved.Count && reserved[i].Start <= start && reserved[i].Last >= last;
    }
}
