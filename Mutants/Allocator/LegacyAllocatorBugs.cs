namespace Harness.Mutants;

/// <summary>
/// docs/SPEC.md §8.1: before "iommu/iova: fix __alloc_and_insert_iova_range" (the seed thread, 2016)
/// the final check against start_pfn mixed an inclusive limit with an exclusive one
/// (<c>start_pfn + size + pad &gt; limit_pfn</c>), so an exact fit at start_pfn was refused: a
/// one-page domain with its upper part reserved could not allocate its only page.
/// </summary>
public sealed class ExactFitAtStartRejected(Harness.Model.IovaDomain domain) : LegacyIovaAllocator(domain)
{
    protected override bool TryGap(UInt128 low, UInt128 high, ulong size, ulong alignMask, bool bottom, out ulong pfn) =>
        base.TryGap(low, high, size, alignMask, bottom, out pfn) && !(bottom && pfn == low);
}

/// <summary>
/// docs/SPEC.md §8.2: the reworked walk computed <c>new_pfn = (high_pfn - size) &amp; align_mask</c>
/// without first checking <c>high_pfn &lt; size</c>; below the last fit the subtraction wraps and
/// a "free" pfn near 2^64 comes back (start_pfn 1, limit 3, reserve(0, 0), two aligned allocs of 2).
/// </summary>
public sealed class LimitUnderflow(Harness.Model.IovaDomain domain) : LegacyIovaAllocator(domain)
{
    protected override bool TryGap(UInt128 low, UInt128 high, ulong size, ulong alignMask, bool bottom, out ulong pfn)
    {
        pfn = unchecked((ulong)high - size) & alignMask;
        return pfn >= low;
    }
}

/// <summary>
/// docs/SPEC.md §8.3: iova.c caches the node of the last allocation and starts the next walk there;
/// a free above it must move the cache up (__cached_rbnode_delete_update). Without that, space
/// freed above the cursor is never seen again: allocation fails, or lands lower, with a fit free.
/// </summary>
public sealed class CachedCursorNotReset(Harness.Model.IovaDomain domain) : LegacyIovaAllocator(domain)
{
    private ulong cursor = ulong.MaxValue;

    protected override ulong CursorLimit(ulong limitPfn) => cursor == ulong.MaxValue ? limitPfn : cursor - 1;

    protected override void Allocated(ulong pfn, ulong size) => cursor = Math.Min(cursor, pfn);
}

/// <summary>
/// docs/SPEC.md §8.4: after a 32-bit allocation fails, iova.c remembers the size (max32_alloc_size) and
/// fails every later 32-bit request at least that big without walking; a free below 4 GiB must
/// reset the hint. Without the reset, a request that now fits still fails.
/// </summary>
public sealed class Stale32BitHint(Harness.Model.IovaDomain domain) : LegacyIovaAllocator(domain)
{
    private ulong max32AllocSize = ulong.MaxValue;

    private ulong Dma32Pfn => (ulong)(((UInt128)1 << 32) / Domain.Granule) - 1;

    protected override bool Walk(IReadOnlyList<Harness.Model.IovaRange> occupied, ulong size, ulong limitPfn, ulong alignMask, out ulong pfn)
    {
        pfn = 0;
        if (limitPfn <= Dma32Pfn && size >= max32AllocSize)
            return false;
        if (base.Walk(occupied, size, limitPfn, alignMask, out pfn))
            return true;
        if (limitPfn <= Dma32Pfn)
            max32AllocSize = size;
        return false;
    }
}
