using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// iova.c's answers (docs/SPEC.md §5, profile rules <see cref="IovaRules.IovaC"/>) without its linear
/// walk. The kernel's backwards walk from a cached node C stops at the first gap that holds the
/// request, so it returns the highest fit below <c>min(limit, C.pfn_lo)</c>, and its retry the
/// highest fit in <c>(C.pfn_hi, limit)</c>: two bounded searches of one <see cref="RangeTree{TValue}"/>
/// whose gap summaries make each O(log n). The tree holds exactly the kernel's nodes, anchor included.
/// </summary>
public class LinuxIovaAllocator : IIovaAllocator, IInvariantChecked
{
    private const ulong Anchor = ulong.MaxValue;

    private readonly RangeTree<IovaSegment> tree = new();
    private readonly ulong dma32BitPfn;

    /// <summary>The cached nodes, by their ends (unique, and unchanged by reserve_iova's widening) and current starts.</summary>
    private (ulong Lo, ulong Hi) cached = (Anchor, Anchor), cached32 = (Anchor, Anchor);
    private ulong max32AllocSize;

    public LinuxIovaAllocator(IovaDomain domain)
    {
        Domain = domain;
        dma32BitPfn = domain.Dma32BitPfn;
        max32AllocSize = dma32BitPfn;
        tree.Insert(Anchor, Anchor, IovaSegment.Reserved);
    }

    public IovaDomain Domain { get; }

    public Errno Alloc(ulong size, ulong limitPfn, bool sizeAligned, out ulong pfn)
    {
        pfn = 0;
        if (size == 0)
            return Errno.EINVAL;
        ulong limit = unchecked(limitPfn + 1);
        if (!TrySearch(size, limit, sizeAligned, out pfn))
            return Errno.ENOMEM;

        ulong last = pfn + (size - 1);
        tree.Insert(pfn, last, IovaSegment.Allocated);
        if (last < dma32BitPfn)
            cached32 = (pfn, last);
        else
            cached = (pfn, last);
        return Errno.Ok;
    }

    /// <summary>
    /// The walk below the cached node, then the retry above it; <paramref name="limit"/> is exclusive.
    /// A search that fails records its size (the hint's own refusal does not).
    /// </summary>
    private bool TrySearch(ulong size, ulong limit, bool sizeAligned, out ulong pfn)
    {
        pfn = 0;
        bool low = limit <= dma32BitPfn;
        if (low && size >= max32AllocSize)
            return false;
        var (cachedLo, cachedHi) = low ? cached32 : cached;
        sizeAligned = ModelLinuxIova.Aligns(size, sizeAligned);
        ulong high = Math.Min(limit, cachedLo);
        if ((high >= size && tree.TryFindHighestFit(Domain.StartPfn, high - 1, size, sizeAligned, out pfn))
            || (Retries(cachedHi, limit, out ulong floor) && tree.TryFindHighestFit(floor, limit - 1, size, sizeAligned, out pfn)))
            return true;
        max32AllocSize = size;
        return false;
    }

    /// <summary>
    /// Whether the walk retries from the top, and from which pfn up: only when the cached node ends
    /// below the limit, and then from just above it (<c>retry_pfn = pfn_hi</c>, <c>low_pfn = retry_pfn + 1</c>).
    /// </summary>
    protected virtual bool Retries(ulong cachedHi, ulong limit, out ulong floor)
    {
        floor = cachedHi + 1;
        return cachedHi < limit;
    }

    public Errno Reserve(ulong pfnLo, ulong pfnHi)
    {
        if (pfnLo > pfnHi || (pfnLo | pfnHi) > ulong.MaxValue >> Domain.IovaShift)
            return Errno.EINVAL;

        while (tree.FindFirstOverlapping(pfnLo, pfnHi, out ulong start, out ulong last, out var segment))
        {
            if (pfnLo < start)
                Widen(start, last, segment, pfnLo);
            if (pfnHi <= last)
                return Errno.Ok;
            pfnLo = last + 1;
        }

        tree.Insert(pfnLo, pfnHi, IovaSegment.Reserved);
        return Errno.Ok;
    }

    /// <summary>__adjust_overlap_range: the node <c>[start, last]</c> now starts at <paramref name="lo"/>.</summary>
    private void Widen(ulong start, ulong last, IovaSegment segment, ulong lo)
    {
        tree.Remove(start);
        tree.Insert(lo, last, segment);
        if (cached.Hi == last)
            cached.Lo = lo;
        if (cached32.Hi == last)
            cached32.Lo = lo;
    }

    public Errno Free(ulong pfn)
    {
        if (!tree.FindContaining(pfn, out ulong lo, out ulong hi, out _) || hi == Anchor)
            return Errno.ENOENT;
        tree.FindFirstOverlapping(hi + 1, Anchor, out ulong nextLo, out ulong nextHi, out _);
        if (hi == cached32.Hi || (hi < dma32BitPfn && lo >= cached32.Lo))
            cached32 = (nextLo, nextHi);
        if (lo < dma32BitPfn)
            max32AllocSize = dma32BitPfn;
        if (lo >= cached.Lo)
            cached = (nextLo, nextHi);
        tree.Remove(lo);
        return Errno.Ok;
    }

    public bool Find(ulong pfn, out IovaRange allocation)
    {
        bool found = tree.FindContaining(pfn, out ulong lo, out ulong hi, out _);
        allocation = found ? new IovaRange(lo, hi) : default;
        return found;
    }

    public IEnumerable<IovaRange> Allocations =>
        tree.InOrder().Where(r => r.Value == IovaSegment.Allocated).Select(r => new IovaRange(r.Start, r.Last));

    /// <summary>The tree is sound, ends in the anchor, and both cached nodes are nodes of it.</summary>
    public void CheckInvariants()
    {
        tree.CheckInvariants();
        if (!tree.FindContaining(Anchor, out _, out _, out var anchor) || anchor != IovaSegment.Reserved)
            throw new InvariantViolation("the anchor node is missing");
        foreach (var (name, node) in new[] { ("cached_node", cached), ("cached32_node", cached32) })
        {
            if (!tree.FindContaining(node.Hi, out ulong lo, out ulong hi, out _) || lo != node.Lo || hi != node.Hi)
                throw new InvariantViolation($"{name} [0x{node.Lo:x}, 0x{node.Hi:x}] is not a node of the tree");
        }
    }
}
