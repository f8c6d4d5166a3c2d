using Harness.Model;

namespace Harness.Mutants;

/// <summary>
/// docs/SPEC.md §8.19: an iommufd compat UNMAP_DMA written to type1's contract, all or nothing:
/// a walk stopped by an area it would cut puts back the areas it took and reports 0 bytes,
/// where iopt_unmap_iova_range leaves them unmapped and the ioctl copies their size back.
/// </summary>
public sealed class IoasUnmapAllOrNothing(IVfioContainer inner) : ContainerDecorator(inner)
{
    public override Errno UnmapDma(ulong iova, ulong size, DmaUnmapFlags flags, out ulong unmapped)
    {
        var before = Inner.State.Mappings;
        var errno = Inner.UnmapDma(iova, size, flags, out unmapped);
        if (errno != Errno.ENOENT || unmapped == 0)
            return errno;
        var after = Inner.State.Mappings.ToHashSet();
        foreach (var taken in before.Where(m => !after.Contains(m)))
            Inner.MapDma(taken.Iova, taken.Size, taken.Vaddr, taken.Prot);
        unmapped = 0;
        return errno;
    }
}
