using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// Before v6.18 (<see cref="FindDmaRules.SizeWraps"/>) what type1's searches find depends on its
/// dma_list's shape once a mapping ends at 2^64 − 1 (docs/SPEC.md §2 "Top of the address space").
/// The kernel's tree (<see cref="Type1DmaTree"/>) is kept beside the range tree, O(log n) a call,
/// and read only when a mapping ends there or a range does; otherwise every search is exact and
/// the range tree answers.
/// </summary>
public sealed partial class VfioContainer
{
    private Type1DmaTree? dmaTree;

    /// <summary>Whether a live mapping ends at 2^64 − 1 (only one can).</summary>
    private bool topMapped;

    /// <summary>Whether the kernel's tree must answer a search for a range ending at <paramref name="last"/>.</summary>
    private bool ReadsKernelTree(ulong last) => dmaTree is not null && (topMapped || last == ulong.MaxValue);

    private void Linked(ulong iova, ulong last)
    {
        dmaTree?.Link(iova, last - iova + 1);
        topMapped |= dmaTree is not null && last == ulong.MaxValue;
    }

    private void Unlinked(ulong iova, ulong last)
    {
        if (dmaTree?.NodeAt(iova) is { } node)
            dmaTree.Erase(node);
        if (last == ulong.MaxValue)
            topMapped = false;
    }

    /// <summary><c>vfio_find_dma(start, last − start + 1)</c> on the kernel's tree.</summary>
    private bool KernelFinds(ulong start, ulong last) => dmaTree!.FindDma(start, unchecked(last - start + 1)) is not null;

    /// <summary>UNMAP_DMA as the kernel's tree walks it (<see cref="Type1DmaTree.TryWalkUnmap"/>).</summary>
    private Errno UnmapByKernelTree(ulong iova, ulong size, bool all, bool invalidate, out ulong unmapped)
    {
        unmapped = 0;
        var visited = new List<Type1DmaTree.Node>();
        if (!dmaTree!.TryWalkUnmap(iova, size, all, visited))
            return Errno.EINVAL;
        if (invalidate)
        {
            foreach (var node in visited)
            {
                mappings.FindContaining(node.Iova, out _, out _, out var entry);
                if (entry.VaddrInvalid)
                    return Errno.EINVAL;
            }
        }

        foreach (var node in visited)
        {
            mappings.FindContaining(node.Iova, out ulong start, out ulong last, out var entry);
            unmapped = unchecked(unmapped + (last - start + 1));
            if (invalidate)
            {
                mappings.TrySetValue(start, entry with { VaddrInvalid = true });
                vaddrInvalidCount++;
            }
            else
            {
                Remove(start, last, entry);
            }
        }

        return Errno.Ok;
    }
}
