namespace Harness.Model;

/// <summary>
/// A VFIO type1 (v2) container: the kernel side of the reserved-region ABI (docs/SPEC.md §2–§4).
/// Every call returns the errno the kernel would; nothing throws for bad arguments.
/// </summary>
public interface IVfioContainer
{
    /// <summary>The vfio_iommu_type1 module parameter allow_unsafe_interrupts.</summary>
    bool AllowUnsafeInterrupts { get; set; }

    Errno AttachGroup(IommuGroup group);

    Errno DetachGroup(int groupId);

    /// <summary>VFIO_IOMMU_MAP_DMA.</summary>
    Errno MapDma(ulong iova, ulong size, ulong vaddr, DmaMapFlags flags);

    /// <summary>
    /// VFIO_IOMMU_UNMAP_DMA; <paramref name="unmapped"/> is the byte count the kernel copies back:
    /// type1 only on success, iommufd also on the ENOENT that stops a walk part way (0 otherwise).
    /// </summary>
    Errno UnmapDma(ulong iova, ulong size, DmaUnmapFlags flags, out ulong unmapped);

    /// <summary>
    /// VFIO_IOMMU_GET_INFO. <paramref name="buffer"/> is the caller's memory; its first four
    /// bytes hold argsz. A buffer shorter than 16 bytes or than argsz is EFAULT.
    /// </summary>
    Errno GetInfo(Span<byte> buffer);

    /// <summary>
    /// iommu_dma_prepare_msi: the IOVA a device must write to reach the MSI doorbell at
    /// physical address <paramref name="doorbell"/> (docs/SPEC.md §4).
    /// </summary>
    Errno PrepareMsi(ulong doorbell, out ulong msiIova);

    /// <summary>The IOMMU's translation of <paramref name="iova"/> and its permissions: DMA mappings and MSI doorbell pages.</summary>
    bool Translate(ulong iova, out ulong phys, out IommuProt prot);

    /// <summary>Everything userspace could observe, for comparing two containers.</summary>
    ContainerState State { get; }
}
