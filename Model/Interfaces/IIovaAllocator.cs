namespace Harness.Model;

/// <summary>
/// An IOVA allocator over a domain <c>[StartPfn, …]</c> in units of <see cref="IovaDomain.Granule"/>
/// (docs/SPEC.md §5). All arguments and results are page frame numbers.
/// </summary>
public interface IIovaAllocator
{
    IovaDomain Domain { get; }

    /// <summary>
    /// Allocates <paramref name="size"/> pfns ending at or below <paramref name="limitPfn"/>;
    /// with <paramref name="sizeAligned"/> the start is a multiple of roundup_pow_of_two(size).
    /// </summary>
    Errno Alloc(ulong size, ulong limitPfn, bool sizeAligned, out ulong pfn);

    /// <summary>reserve_iova: <c>[pfnLo, pfnHi]</c> can never be allocated. May overlap anything.</summary>
    Errno Reserve(ulong pfnLo, ulong pfnHi);

    /// <summary>Releases the allocation containing <paramref name="pfn"/>; ENOENT (nothing changes) if none does.</summary>
    Errno Free(ulong pfn);

    /// <summary>find_iova: the allocation containing <paramref name="pfn"/>.</summary>
    bool Find(ulong pfn, out IovaRange allocation);

    /// <summary>Every live allocation, ascending (not reservations, not ranges parked in a cache).</summary>
    IEnumerable<IovaRange> Allocations { get; }
}

/// <summary>The two allocation policies of docs/SPEC.md §5.</summary>
public enum AllocPolicy
{
    /// <summary>Linux iova.c (the DMA API): the highest fitting pfn. Fails with ENOMEM.</summary>
    TopDown,

    /// <summary>iommufd iopt_alloc_iova: the lowest fitting pfn, never pfn 0. Fails with ENOSPC.</summary>
    LowestFit,
}

/// <summary>struct iova_domain's geometry: the granule (a power of two, in bytes) and the first usable pfn.</summary>
public sealed record IovaDomain
{
    public IovaDomain(ulong granule, ulong startPfn)
    {
        if (granule == 0 || (granule & (granule - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(granule), $"granule 0x{granule:x} is not a power of two");
        Granule = granule;
        StartPfn = startPfn;
    }

    public ulong Granule { get; }

    public ulong StartPfn { get; }

    /// <summary>iova_shift: log2 of the granule.</summary>
    public int IovaShift => System.Numerics.BitOperations.Log2(Granule);

    /// <summary>
    /// init_iova_domain's <c>dma_32bit_pfn = 1UL &lt;&lt; (32 - iova_shift)</c>: the first pfn at or above 4 GiB,
    /// an exclusive limit. Granules above 4 GiB (which the kernel's BUG_ON rules out) get 0.
    /// </summary>
    public ulong Dma32BitPfn => IovaShift <= 32 ? 1UL << (32 - IovaShift) : 0;
}
