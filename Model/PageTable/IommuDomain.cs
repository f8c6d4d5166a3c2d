using System.Numerics;

namespace Harness.Model;

/// <summary>
/// A paging iommu_domain over a driver's io_pgtable_ops, as drivers/iommu/iommu.c drives it
/// (v6.1 to v6.18; docs/SPEC.md §6): __iommu_map, __iommu_unmap and iommu_iova_to_phys. The
/// table only ever sees runs of one page size (<see cref="IommuPgsize"/>); a map that fails
/// part-way unmaps what it had mapped.
/// </summary>
public sealed class IommuDomain(IoPgtableConfig config, IIoPgtableOps ops) : IIoPageTable
{
    public IoPgtableConfig Config { get; } = config;

    public IIoPgtableOps Ops { get; } = ops;

    private ulong MinPagesize => 1UL << BitOperations.TrailingZeroCount(Ops.PgsizeBitmap);

    public Errno Map(ulong iova, ulong phys, ulong size, IommuProt prot)
    {
        if (((iova | phys | size) & (MinPagesize - 1)) != 0)
            return Errno.EINVAL;

        ulong start = iova, remaining = size;
        var result = Errno.Ok;
        while (remaining != 0)
        {
            var (pgsize, count) = IommuPgsize.Next(Ops.PgsizeBitmap, iova, phys, remaining);
            result = Ops.MapPages(iova, phys, pgsize, count, prot, out ulong mapped);
            remaining -= mapped;
            if (result != Errno.Ok)
                break;
            iova += mapped;
            phys += mapped;
        }

        if (result != Errno.Ok)
            Unmap(start, size - remaining);
        return result;
    }

    /// <summary>Runs of pages sized by iova alone until <paramref name="size"/> bytes or a run that unmaps nothing.</summary>
    public ulong Unmap(ulong iova, ulong size)
    {
        if (((iova | size) & (MinPagesize - 1)) != 0)
            return 0;

        ulong unmapped = 0;
        while (unmapped < size)
        {
            var (pgsize, count) = IommuPgsize.Next(Ops.PgsizeBitmap, iova, iova, size - unmapped);
            ulong run = Ops.UnmapPages(iova, pgsize, count);
            if (run == 0)
                break;
            iova += run;
            unmapped += run;
        }

        return unmapped;
    }

    /// <summary>iommu_iova_to_phys: a physical address of 0 reads as no translation, and the prot is not told.</summary>
    public bool Translate(ulong iova, out ulong phys, out IommuProt prot)
    {
        phys = Ops.IovaToPhys(iova);
        prot = IommuProt.None;
        return phys != 0;
    }
}
