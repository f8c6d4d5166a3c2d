namespace Harness.Model;

/// <summary>VFIO_DMA_MAP_FLAG_READ / _WRITE.</summary>
[Flags]
public enum DmaMapFlags : uint
{
    None = 0,
    Read = 1,
    Write = 2,
}

public static class DmaMapFlagsExtensions
{
    /// <summary>vfio_dma_do_map: READ gives IOMMU_READ, WRITE gives IOMMU_WRITE.</summary>
    public static IommuProt ToIommuProt(this DmaMapFlags flags) =>
        ((flags & DmaMapFlags.Read) != 0 ? IommuProt.Read : IommuProt.None) | ((flags & DmaMapFlags.Write) != 0 ? IommuProt.Write : IommuProt.None);
}

/// <summary>VFIO_DMA_UNMAP_FLAG_ALL. Bit 0 (GET_DIRTY_BITMAP) and bit 2 (VADDR) are not modelled and are rejected.</summary>
[Flags]
public enum DmaUnmapFlags : uint
{
    None = 0,
    All = 2,
}
