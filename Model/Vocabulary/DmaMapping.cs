namespace Harness.Model;

/// <summary>
/// struct vfio_dma: one successful MAP_DMA. The model's "physical" address of <c>Iova + k</c> is
/// <c>Phys + k</c>: the vaddr at MAP time, which a VADDR update (docs/SPEC.md §2) does not move.
/// </summary>
public readonly record struct DmaMapping(ulong Iova, ulong Size, ulong Vaddr, DmaMapFlags Prot)
{
    /// <summary>Where the IOMMU maps <see cref="Iova"/>: the pages pinned at MAP time.</summary>
    public ulong Phys { get; init; } = Vaddr;

    /// <summary>vaddr_invalid: UNMAP_DMA with VADDR cleared the vaddr until a MAP_DMA with VADDR sets a new one.</summary>
    public bool VaddrInvalid { get; init; }

    public IovaRange Range => IovaRange.FromSize(Iova, Size);

    public override string ToString() =>
        $"iova 0x{Iova:x} size 0x{Size:x} vaddr 0x{Vaddr:x}{(VaddrInvalid ? " (invalid)" : "")}{(Phys != Vaddr ? $" phys 0x{Phys:x}" : "")} {Prot}";
}
