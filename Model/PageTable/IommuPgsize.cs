using System.Numerics;

namespace Harness.Model;

/// <summary>iommu_pgsize (drivers/iommu/iommu.c, v5.15 to v6.18): the next run of equal pages an iommu_map or iommu_unmap hands the table.</summary>
public static class IommuPgsize
{
    /// <summary>
    /// The largest supported size not above <paramref name="size"/> to which iova and paddr are
    /// both aligned, and how many of it: up to the next bigger size's boundary when iova and paddr
    /// sit alike within that bigger size and a whole one fits after the boundary, else all of it.
    /// </summary>
    public static (ulong Pgsize, ulong Count) Next(ulong pgsizeBitmap, ulong iova, ulong paddr, ulong size)
    {
        ulong pgsizes = pgsizeBitmap & UpTo(63 - BitOperations.LeadingZeroCount(size));
        ulong merged = paddr | iova;
        if (merged != 0)
            pgsizes &= UpTo(BitOperations.TrailingZeroCount(merged));
        if (pgsizes == 0)
            throw new ArgumentException($"no page size of 0x{pgsizeBitmap:x} fits iova 0x{iova:x} paddr 0x{paddr:x} size 0x{size:x} (the kernel's BUG_ON)");

        int index = 63 - BitOperations.LeadingZeroCount(pgsizes);
        ulong bigger = pgsizeBitmap & ~UpTo(index);
        if (bigger != 0)
        {
            ulong next = 1UL << BitOperations.TrailingZeroCount(bigger);
            ulong offset = next - (merged & (next - 1));
            if (((iova ^ paddr) & (next - 1)) == 0 && offset + next >= offset && offset + next <= size)
                size = offset;
        }

        return (1UL << index, size >> index);
    }

    /// <summary>GENMASK(high, 0).</summary>
    private static ulong UpTo(int high) => high >= 63 ? ulong.MaxValue : (1UL << (high + 1)) - 1;
}
