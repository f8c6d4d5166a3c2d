using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// iova.c's answers (docs/SPEC.md §5, profile rules <see cref="IovaRules.IovaC"/>) without its linear
/// walk. The kernel's backwards walk from a cached node C stops at the first gap that holds the
/// request, so it returns the highest fit below <c>min(limit, C.pfn_lo)</c>, and its retry the
/// highest fit in <c>(C.pfn_hi, limit)</c>: two bounded searches of one <see cref="RangeTree{TValue}"/>
/// whose gap summaries make each O(log n). The tree holds exactly the kernel's nodes, anchor included,
/// but one: an allocation the walk's first step found (the gap just below the cached node, whose
/// lower end is remembered until the tree changes) waits outside the tree, and a free of it as the
/// very next call drops it without touching the tree; any other call puts it in first. So the
/// DMA API's map-then-unmap costs no tree operation at all.
/// </summary>
public class LinuxIovaAllocator : IIovaAllocator, IInvariantChecked
{
    private const ulong Anchor = ulong.MaxValue;

    private readonly RangeTree<IovaSegment> tree = new();
    private readonly ulong dma32BitPfn;

    /// <summary>The cached nodes, by their ends (unique, and unchanged by reserve_iova's widening) and current starts.</summary>
    private (ulong Lo, ulong Hi) cached = (Anchor, Anchor), cached32 = (Anchor, Anchor);
    private ulong max32AllocSize;

    /// <summary>Bumped by every change to the tree: what <see cref="gapBelow"/> was computed against.</summary>
    private long version;

    /// <summary>For the cached node ending at <c>CachedHi</c>: the lowest pfn of the free gap below it, as of <c>Version</c>.</summary>
    private (ulong CachedHi, ulong Floor, long Version) gapBelow = (0, 0, -1);

    /// <summary>The allocation not yet in the tree, and the node just above it (the cached node it was found below).</summary>
    private (ulong Lo, ulong Hi, (ulong Lo, ulong Hi) Next)? pending;

    public LinuxIovaAllocator(IovaDomain domain)
    {
        Domain = domain;
        dma32BitPfn = domain.Dma32BitPfn;
        max32AllocSize = dma32BitPfn;
        tree.Insert(Anchor, Anchor, IovaSegment.Reserved);
    }

    /// <summary>The deferred allocation into the tree, before any call that is not its free.</summary>
    private void Settle()
    {
        if (pending is not { } p)
            return;
        pending = null;
        tree.Insert(p.Lo, p.Hi, IovaSegment.Allocated);
        version++;
    }

    public IovaDomain Domain { get; }

    public Errno Alloc(ulong size, ulong limitPfn, bool sizeAligned, out ulong pfn)
    {
        pfn = 0;
        Settle();
        if (size == 0)
            return Errno.EINVAL;
        ulong limit = unchecked(limitPfn + 1);
        if (!TrySearch(size, limit, sizeAligned, out pfn, out var above))
            return Errno.ENOMEM;

        ulong last = pfn + (size - 1);
        if (above is { } next)
        {
            pending = (pfn, last, next);
        }
        else
        {
            tree.Insert(pfn, last, IovaSegment.Allocated);
            version++;
        }

        if (last < dma32BitPfn)
            cached32 = (pfn, last);
        else
            cached = (pfn, last);
        return Errno.Ok;
    }

    /// <summary>
    /// The walk below the cached node, then the retry above it; <paramref name="limit"/> is exclusive.
    /// A search that fails records its size (the hint's own refusal does not). When the walk's first
    /// step fits (the gap just below the cached node), <paramref name="above"/> is that node.
    /// </summary>
    private bool TrySearch(ulong size, ulong limit, bool sizeAligned, out ulong pfn, out (ulong Lo, ulong Hi)? above)
    {
        pfn = 0;
        above = null;
        bool low = limit <= dma32BitPfn;
        if (low && size >= max32AllocSize)
            return false;
        var node = low ? cached32 : cached;
        var (cachedLo, cachedHi) = node;
        sizeAligned = ModelLinuxIova.Aligns(size, sizeAligned);
        ulong high = Math.Min(limit, cachedLo);
        if (high >= size)
        {
            int shift = sizeAligned && size > 1 ? 64 - System.Numerics.BitOperations.LeadingZeroCount(size - 1) : 0;
            ulong first = (high - size) & (ulong.MaxValue << shift);
            if (first >= Domain.StartPfn && first >= FloorBelow(node))
            {
                (pfn, above) = (first, node);
                return true;
            }
        }

        if ((high >= size && tree.TryFindHighestFit(Domain.StartPfn, high - 1, size, sizeAligned, out pfn))
            || (Retries(cachedHi, limit, out ulong floor) && tree.TryFindHighestFit(floor, limit - 1, size, sizeAligned, out pfn)))
            return true;
        max32AllocSize = size;
        return false;
    }

    /// <summary>The lowest pfn of the free gap just below the cached node <paramref name="node"/> (0 when nothing lies below it).</summary>
    private ulong FloorBelow((ulong Lo, ulong Hi) node)
    {
        if (gapBelow.CachedHi != node.Hi || gapBelow.Version != version)
        {
            ulong floor = node.Lo > 0 && tree.FindLastStartingAtOrBelow(node.Lo - 1, out _, out ulong last) ? last + 1 : 0;
            gapBelow = (node.Hi, floor, version);
        }

        return gapBelow.Floor;
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
        Settle();
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
        version++;
        return Errno.Ok;
    }

    /// <summary>__adjust_overlap_range: the node <c>[start, last]</c> now starts at <paramref name="lo"/>.</summary>
    private void Widen(ulong start, ulong last, IovaSegment segment, ulong lo)
    {
        tree.Remove(start);
        tree.Insert(lo, last, segment);
        version++;
        if (cached.Hi == last)
            cached.Lo = lo;
        if (cached32.Hi == last)
            cached32.Lo = lo;
    }

    public Errno Free(ulong pfn)
    {
        if (pending is { } p && pfn >= p.Lo && pfn <= p.Hi)
        {
            pending = null;
            Unlink(p.Lo, p.Hi, p.Next);
            return Errno.Ok;
        }

        Settle();
        if (!tree.FindContaining(pfn, out ulong lo, out ulong hi, out _) || hi == Anchor)
            return Errno.ENOENT;
        tree.FindFirstOverlapping(hi + 1, Anchor, out ulong nextLo, out ulong nextHi, out _);
        Unlink(lo, hi, (nextLo, nextHi));
        tree.Remove(lo);
        version++;
        return Errno.Ok;
    }

    /// <summary>__cached_rbnode_delete_update for the node <c>[lo, hi]</c>, whose successor is <paramref name="next"/>.</summary>
    private void Unlink(ulong lo, ulong hi, (ulong Lo, ulong Hi) next)
    {
        var (nextLo, nextHi) = next;
        if (hi == cached32.Hi || (hi < dma32BitPfn && lo >= cached32.Lo))
            cached32 = (nextLo, nextHi);
        if (lo < dma32BitPfn)
            max32AllocSize = dma32BitPfn;
        if (lo >= cached.Lo)
            cached = (nextLo, nextHi);
    }

    public bool Find(ulong pfn, out IovaRange allocation)
    {
        Settle();
        bool found = tree.FindContaining(pfn, out ulong lo, out ulong hi, out _);
        allocation = found ? new IovaRange(lo, hi) : default;
        return found;
    }

    public IEnumerable<IovaRange> Allocations => SettledTree().InOrder().Where(r => r.Value == IovaSegment.Allocated).Select(r => new IovaRange(r.Start, r.Last));

    private RangeTree<IovaSegment> SettledTree()
    {
        Settle();
        return tree;
    }

    /// <summary>The tree is sound, ends in the anchor, and both cached nodes are nodes of it.</summary>
    public void CheckInvariants()
    {
        Settle();
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
