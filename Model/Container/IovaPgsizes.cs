using System.Numerics;

namespace Harness.Model;

/// <summary>vfio_update_pgsize_bitmap: the container's iova_pgsizes (docs/SPEC.md §2 "Page sizes").</summary>
public static class IovaPgsizes
{
    /// <summary>
    /// The AND of every domain's bitmap; if that leaves sizes below PAGE_SIZE, they are hidden and
    /// PAGE_SIZE is claimed instead (pinning works in pages; the IOMMU driver uses its small
    /// sizes underneath). Zero when the domains share no page size.
    /// </summary>
    public static ulong Of(IEnumerable<ulong> bitmaps)
    {
        ulong bitmap = ulong.MaxValue;
        foreach (ulong domain in bitmaps)
            bitmap &= domain;
        if ((bitmap & (Vfio.PageSize - 1)) != 0)
            bitmap = (bitmap & ~(Vfio.PageSize - 1)) | Vfio.PageSize;
        return bitmap;
    }

    /// <summary>The minimum page size: the lowest set bit.</summary>
    public static ulong MinPageSize(ulong bitmap) => bitmap == 0 ? 0 : 1UL << BitOperations.TrailingZeroCount(bitmap);
}
