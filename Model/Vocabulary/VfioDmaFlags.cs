namespace Harness.Model;

/// <summary>VFIO_DMA_MAP_FLAG_READ / _WRITE / _VADDR (v5.12+: set a new vaddr for an invalidated mapping).</summary>
[Flags]
public enum DmaMapFlags : uint
{
    None = 0,
    Read = 1,
    Write = 2,
    Vaddr = 4,
}

public static class DmaMapFlagsExtensions
{
    private const DmaMapFlags Prot = DmaMapFlags.Read | DmaMapFlags.Write;

    /// <summary>vfio_iommu_type1_map_dma: no bit outside READ, WRITE and VADDR, or EINVAL before anything else.</summary>
    public static bool HasOnlyMapBits(this DmaMapFlags flags) => (flags & ~(Prot | DmaMapFlags.Vaddr)) == 0;

    /// <summary>vfio_dma_do_map: exactly one of "some prot" and VADDR.</summary>
    public static bool IsValidMap(this DmaMapFlags flags) =>
        flags.HasOnlyMapBits() && ((flags & Prot) != 0) != ((flags & DmaMapFlags.Vaddr) != 0);

    /// <summary>vfio_iommu_type1_unmap_dma: ALL and VADDR are accepted, alone or together (GET_DIRTY_BITMAP fails without dirty tracking).</summary>
    public static bool IsValidUnmap(this DmaUnmapFlags flags) => (flags & ~(DmaUnmapFlags.All | DmaUnmapFlags.Vaddr)) == 0;

    /// <summary>vfio_dma_do_map: READ gives IOMMU_READ, WRITE gives IOMMU_WRITE.</summary>
    public static IommuProt ToIommuProt(this DmaMapFlags flags) =>
        ((flags & DmaMapFlags.Read) != 0 ? IommuProt.Read : IommuProt.None) | ((flags & DmaMapFlags.Write) != 0 ? IommuProt.Write : IommuProt.None);
}

/// <summary>
/// VFIO_DMA_UNMAP_FLAG_ALL and _VADDR (v5.12+: invalidate the vaddrs, keep the mappings). Bit 0
/// (GET_DIRTY_BITMAP) needs dirty tracking, which no model container has, so it is rejected.
/// </summary>
[Flags]
public enum DmaUnmapFlags : uint
{
    None = 0,
    All = 2,
    Vaddr = 4,
}
