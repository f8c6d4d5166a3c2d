namespace Harness.Model;

/// <summary>struct vfio_dma: one successful MAP_DMA. The model's "physical" address of <c>Iova + k</c> is <c>Vaddr + k</c>.</summary>
public readonly record struct DmaMapping(ulong Iova, ulong Size, ulong Vaddr, DmaMapFlags Prot)
{
    public IovaRange Range => IovaRange.FromSize(Iova, Size);

    public override string ToString() => $"iova 0x{Iova:x} size 0x{Size:x} vaddr 0x{Vaddr:x} {Prot}";
}
