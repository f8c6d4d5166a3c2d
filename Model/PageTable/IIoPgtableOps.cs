namespace Harness.Model;

/// <summary>
/// struct io_pgtable_ops (include/linux/io-pgtable.h): what an IOMMU driver's page table gives
/// iommu_map and iommu_unmap, one run of equal pages at a time (docs/SPEC.md §6).
/// </summary>
public interface IIoPgtableOps
{
    /// <summary>The page and block sizes the table maps (io_pgtable_cfg.pgsize_bitmap after alloc_io_pgtable_ops).</summary>
    ulong PgsizeBitmap { get; }

    /// <summary>map_pages: <paramref name="pgcount"/> pages of <paramref name="pgsize"/>; the bytes mapped are counted even when it fails.</summary>
    Errno MapPages(ulong iova, ulong paddr, ulong pgsize, ulong pgcount, IommuProt prot, out ulong mapped);

    /// <summary>unmap_pages: the bytes unmapped, 0 for none.</summary>
    ulong UnmapPages(ulong iova, ulong pgsize, ulong pgcount);

    /// <summary>iova_to_phys: 0 is no translation.</summary>
    ulong IovaToPhys(ulong iova);
}
