namespace Harness.Model;

/// <summary>
/// How type1 computes a range's end (docs/SPEC.md §2), stated once for the model and the
/// implementation: vfio_find_dma's end test, and MAP_DMA's and UNMAP_DMA's checks of their numbers.
/// </summary>
public static class FindDmaRulesFacts
{
    /// <summary>
    /// Whether a search for mappings overlapping a range ending at <paramref name="last"/> can find
    /// one: not where <c>start + size</c> wraps to 0, since every mapping's iova is at least 0.
    /// </summary>
    public static bool Searches(this FindDmaRules rules, ulong last) => rules == FindDmaRules.Inclusive || last != ulong.MaxValue;

    /// <summary>
    /// vfio_iommu_type1_map_dma then vfio_dma_do_map, up to the first look at the mappings (MAP_DMA
    /// steps 1–3). v6.18 checks <c>size == 0</c> and then the wrap of <c>iova + size − 1</c> or
    /// <c>vaddr + size − 1</c> (EOVERFLOW) before the prot flags and the alignment; before it, the
    /// wrap is one more EINVAL after them.
    /// </summary>
    public static Errno CheckMap(this FindDmaRules rules, ulong iova, ulong size, ulong vaddr, DmaMapFlags flags, ulong pgsize)
    {
        if (!flags.HasOnlyMapBits())
            return Errno.EINVAL;
        bool wraps = size != 0 && (iova + (size - 1) < iova || vaddr + (size - 1) < vaddr);
        if (rules == FindDmaRules.Inclusive && size != 0 && wraps)
            return Errno.EOVERFLOW;
        bool aligned = ((iova | size | vaddr) & (pgsize - 1)) == 0;
        return flags.IsValidMap() && size != 0 && aligned && !wraps ? Errno.Ok : Errno.EINVAL;
    }

    /// <summary>
    /// vfio_dma_do_unmap's checks of a ranged unmap (UNMAP_DMA): iova, then size, aligned and not 0,
    /// then the wrap of <c>iova + size − 1</c>, EOVERFLOW in v6.18, EINVAL before.
    /// </summary>
    public static Errno CheckUnmap(this FindDmaRules rules, ulong iova, ulong size, ulong pgsize)
    {
        if (size == 0 || ((iova | size) & (pgsize - 1)) != 0)
            return Errno.EINVAL;
        if (iova + (size - 1) < iova)
            return rules == FindDmaRules.Inclusive ? Errno.EOVERFLOW : Errno.EINVAL;
        return Errno.Ok;
    }
}
