namespace Harness.Model;

/// <summary>
/// iova.c's fast path, as the DMA API calls it (docs/SPEC.md §5, "The rcache under Linux"):
/// alloc_iova_fast and free_iova_fast over the per-size-class range caches, on top of the
/// domain's own <see cref="IIovaAllocator"/> calls.
/// </summary>
public interface IIovaFastPath : IIovaAllocator
{
    /// <summary>alloc_iova_fast: a size-aligned range ending at or below <paramref name="limitPfn"/>; ENOMEM when it returns 0.</summary>
    Errno AllocFast(ulong size, ulong limitPfn, bool flushRcache, out ulong pfn);

    /// <summary>free_iova_fast: <paramref name="size"/> is what the caller asked alloc_iova_fast for.</summary>
    void FreeFast(ulong pfn, ulong size);
}
