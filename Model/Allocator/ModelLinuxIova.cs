namespace Harness.Model;

/// <summary>
/// drivers/iommu/iova.c's rbtree allocator as Linux runs it (docs/SPEC.md §5, profile rules
/// <see cref="IovaRules.IovaC"/>), stated plainly: one sorted list of nodes ending in the anchor,
/// the two cached nodes, the 32-bit size hint, and the backwards walk of
/// <c>__alloc_and_insert_iova_range</c> node by node. O(n) per call.
/// </summary>
public sealed class ModelLinuxIova : IIovaAllocator
{
    /// <summary>IOVA_ANCHOR: the node that sits above every usable pfn.</summary>
    private const ulong Anchor = ulong.MaxValue;

    /// <summary>struct iova. reserve_iova widens <see cref="Lo"/> in place; nothing changes <see cref="Hi"/>.</summary>
    private sealed class Node(ulong lo, ulong hi, bool allocated)
    {
        public ulong Lo = lo;
        public readonly ulong Hi = hi;
        public readonly bool Allocated = allocated;
    }

    private readonly List<Node> nodes;
    private Node cachedNode;
    private Node cached32Node;
    private ulong max32AllocSize;

    public ModelLinuxIova(IovaDomain domain)
    {
        Domain = domain;
        var anchor = new Node(Anchor, Anchor, allocated: false);
        nodes = [anchor];
        cachedNode = cached32Node = anchor;
        max32AllocSize = domain.Dma32BitPfn;
    }

    private ModelLinuxIova(ModelLinuxIova other)
    {
        Domain = other.Domain;
        nodes = other.nodes.Select(n => new Node(n.Lo, n.Hi, n.Allocated)).ToList();
        cachedNode = nodes[other.nodes.IndexOf(other.cachedNode)];
        cached32Node = nodes[other.nodes.IndexOf(other.cached32Node)];
        max32AllocSize = other.max32AllocSize;
    }

    public IovaDomain Domain { get; }

    private ulong Dma32BitPfn => Domain.Dma32BitPfn;

    public IEnumerable<IovaRange> Allocations => nodes.Where(n => n.Allocated).Select(n => new IovaRange(n.Lo, n.Hi)).ToList();

    /// <summary>An independent copy (for state-machine snapshots).</summary>
    public ModelLinuxIova Clone() => new(this);

    /// <summary>alloc_iova: the search runs below the exclusive limit <c>limit_pfn + 1</c>, which wraps to 0 for ~0.</summary>
    public Errno Alloc(ulong size, ulong limitPfn, bool sizeAligned, out ulong pfn)
    {
        pfn = 0;
        if (size == 0)
            return Errno.EINVAL;
        if (!TrySearch(size, unchecked(limitPfn + 1), sizeAligned, out pfn, out int prev))
            return Errno.ENOMEM;
        var added = new Node(pfn, pfn + (size - 1), allocated: true);
        nodes.Insert(prev, added);
        if (added.Hi < Dma32BitPfn)
            cached32Node = added;
        else
            cachedNode = added;
        return Errno.Ok;
    }

    /// <summary>
    /// __alloc_and_insert_iova_range: walk down from the cached node, then once from the top
    /// above it (<c>retry_pfn</c>); a failure records its size in <c>max32_alloc_size</c>.
    /// <paramref name="prev"/> is the list index the new node goes in at.
    /// </summary>
    private bool TrySearch(ulong size, ulong limitPfn, bool sizeAligned, out ulong newPfn, out int prev)
    {
        newPfn = 0;
        prev = 0;
        if (limitPfn <= Dma32BitPfn && size >= max32AllocSize)
            return false;

        ulong alignMask = Aligns(size, sizeAligned) ? ~(ulong)(ModelIovaAllocator.RoundupPowOfTwo(size) - 1) : ulong.MaxValue;
        ulong highPfn = limitPfn, lowPfn = Domain.StartPfn;
        int curr = nodes.IndexOf(limitPfn <= Dma32BitPfn ? cached32Node : cachedNode);
        ulong retryPfn = nodes[curr].Hi;
        bool retried = false;
        while (true)
        {
            do
            {
                highPfn = Math.Min(highPfn, nodes[curr].Lo);
                newPfn = unchecked(highPfn - size) & alignMask;
                prev = curr;
                curr--;
            }
            while (curr >= 0 && newPfn <= nodes[curr].Hi && newPfn >= lowPfn);

            if (highPfn >= size && newPfn >= lowPfn)
                return true;

            // The kernel's condition alone (low_pfn == start_pfn) cannot repeat the retry, since every
            // cached node ends at or above start_pfn; the flag only keeps the model finite regardless.
            if (!retried && lowPfn == Domain.StartPfn && retryPfn < limitPfn)
            {
                retried = true;
                highPfn = limitPfn;
                lowPfn = retryPfn + 1;
                // iova_find_limit picks a node at or above limit_pfn to start from; for the walk every
                // such node is equivalent to the anchor, where kernels before it started.
                curr = nodes.Count - 1;
                continue;
            }

            max32AllocSize = size;
            return false;
        }
    }

    /// <summary>
    /// Whether <c>__alloc_and_insert_iova_range</c> aligns the request: its <c>align_mask &lt;&lt;= fls_long(size - 1)</c>
    /// shifts by 64 for sizes above 2^63, which x86-64 and arm64 take modulo 64, so such a size is not aligned at all
    /// (found by conformance against v6.1 and v6.12 built with gcc; docs/SPEC.md §5).
    /// </summary>
    public static bool Aligns(ulong size, bool sizeAligned) => sizeAligned && size <= 1UL << 63;

    /// <summary>
    /// reserve_iova: each overlapping node, allocations included, is widened down to the request
    /// (__adjust_overlap_range) and the rest above the last one is inserted; a covered range adds nothing.
    /// </summary>
    public Errno Reserve(ulong pfnLo, ulong pfnHi)
    {
        if (pfnLo > pfnHi || (pfnLo | pfnHi) > ulong.MaxValue >> Domain.IovaShift)
            return Errno.EINVAL;

        bool overlap = false;
        int at = 0;
        for (; at < nodes.Count; at++)
        {
            var node = nodes[at];
            if (pfnLo <= node.Hi && pfnHi >= node.Lo)
            {
                node.Lo = Math.Min(node.Lo, pfnLo);
                if (pfnHi <= node.Hi)
                    return Errno.Ok;
                pfnLo = node.Hi + 1;
                overlap = true;
            }
            else if (overlap || node.Lo > pfnHi)
            {
                break;
            }
        }

        nodes.Insert(at, new Node(pfnLo, pfnHi, allocated: false));
        return Errno.Ok;
    }

    /// <summary>free_iova: removes whichever node holds pfn, a reservation too (never the anchor).</summary>
    public Errno Free(ulong pfn)
    {
        int index = nodes.FindIndex(n => n.Lo <= pfn && pfn <= n.Hi);
        if (index < 0 || nodes[index].Hi == Anchor)
            return Errno.ENOENT;
        DeleteUpdate(index);
        nodes.RemoveAt(index);
        return Errno.Ok;
    }

    /// <summary>__cached_rbnode_delete_update: a cached node at or below the freed one moves to its successor.</summary>
    private void DeleteUpdate(int index)
    {
        var free = nodes[index];
        var next = nodes[index + 1];
        if (free == cached32Node || (free.Hi < Dma32BitPfn && free.Lo >= cached32Node.Lo))
            cached32Node = next;
        if (free.Lo < Dma32BitPfn)
            max32AllocSize = Dma32BitPfn;
        if (free.Lo >= cachedNode.Lo)
            cachedNode = next;
    }

    /// <summary>find_iova: any node, reservations and the anchor included.</summary>
    public bool Find(ulong pfn, out IovaRange allocation)
    {
        var node = nodes.Find(n => n.Lo <= pfn && pfn <= n.Hi);
        allocation = node is null ? default : new IovaRange(node.Lo, node.Hi);
        return node is not null;
    }
}
