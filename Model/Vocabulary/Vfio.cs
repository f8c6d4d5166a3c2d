namespace Harness.Model;

/// <summary>Constants of the VFIO type1 driver.</summary>
public static class Vfio
{
    /// <summary>The host PAGE_SIZE: pinning granularity, the smallest IOVA page size, the MSI doorbell page.</summary>
    public const ulong PageSize = 4096;

    /// <summary>The dma_entry_limit module parameter's default (U16_MAX).</summary>
    public const uint DefaultDmaEntryLimit = 65535;

    /// <summary>How iommu_dma_get_msi_page maps a doorbell page: IOMMU_WRITE | IOMMU_NOEXEC | IOMMU_MMIO.</summary>
    public const IommuProt DoorbellProt = IommuProt.Write | IommuProt.NoExec | IommuProt.Mmio;
}
