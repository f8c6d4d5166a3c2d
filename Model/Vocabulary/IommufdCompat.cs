using System.Buffers.Binary;
using System.Numerics;

namespace Harness.Model;

/// <summary>
/// The stateless checks of iommufd's VFIO compatibility ioctls over the compat IOAS
/// (docs/SPEC.md §3 "The iommufd compat container"; <c>drivers/iommu/iommufd/vfio_compat.c</c>,
/// <c>io_pagetable.c</c>, <c>pages.c</c>, read in Debian 6.12), in the order the kernel makes
/// them. What needs the IOAS's trees (reservations, areas, domains) is the container's.
/// </summary>
public static class IommufdCompat
{
    /// <summary>iommufd_fill_cap_dma_avail: U32_MAX, whatever is mapped; MAP_DMA never runs out of entries.</summary>
    public const uint DmaAvail = uint.MaxValue;

    /// <summary>iopt_init_table: a table with no domain has no alignment restriction.</summary>
    public const ulong NoDomainAlignment = 1;

    /// <summary>
    /// MAP_DMA up to the IOAS's trees: iommufd_vfio_map_dma's flags (only READ and WRITE, no
    /// VADDR; neither is needed, the prot is IOMMU_CACHE plus what is asked), get_compat_ioas's
    /// ENODEV, iopt_alloc_pages (a zero length, or one above SIZE_MAX − PAGE_SIZE, is EINVAL;
    /// vaddr + length past 2^64 − 1 is EOVERFLOW), then iopt_alloc_area_pages' length and
    /// iopt_check_iova's iova alignment (EINVAL) and end (EOVERFLOW). The reservation and area
    /// checks follow.
    /// </summary>
    public static Errno CheckMap(bool ioasExists, ulong iova, ulong size, ulong vaddr, DmaMapFlags flags, ulong alignment)
    {
        if ((flags & ~(DmaMapFlags.Read | DmaMapFlags.Write)) != 0)
            return Errno.EINVAL;
        if (!ioasExists)
            return Errno.ENODEV;
        if (size == 0 || size > ulong.MaxValue - Vfio.PageSize)
            return Errno.EINVAL;
        if (vaddr + size < vaddr)
            return Errno.EOVERFLOW;
        if ((size & (alignment - 1)) != 0 || (iova & (alignment - 1)) != 0)
            return Errno.EINVAL;
        return iova + (size - 1) < iova ? Errno.EOVERFLOW : Errno.Ok;
    }

    /// <summary>iopt_insert_area, after the overlap checks: the vaddr's offset in its page must keep the alignment.</summary>
    public static Errno CheckPageOffset(ulong vaddr, ulong alignment) =>
        (vaddr % Vfio.PageSize & (alignment - 1)) != 0 ? Errno.EINVAL : Errno.Ok;

    /// <summary>
    /// UNMAP_DMA up to the walk: iommufd_vfio_unmap_dma's flags (ALL only: VADDR and
    /// GET_DIRTY_BITMAP are EINVAL), get_compat_ioas's ENODEV, ALL with an iova or size (EINVAL),
    /// then iopt_unmap_iova's zero size (EINVAL) and wrapping end (EOVERFLOW); no alignment is
    /// asked. <paramref name="range"/> is what the walk covers: [0, 2^64 − 1] for ALL.
    /// </summary>
    public static Errno CheckUnmap(bool ioasExists, ulong iova, ulong size, DmaUnmapFlags flags, out IovaRange range)
    {
        range = new IovaRange(0, ulong.MaxValue);
        if ((flags & ~DmaUnmapFlags.All) != 0)
            return Errno.EINVAL;
        if (!ioasExists)
            return Errno.ENODEV;
        if ((flags & DmaUnmapFlags.All) != 0)
            return iova != 0 || size != 0 ? Errno.EINVAL : Errno.Ok;
        if (size == 0)
            return Errno.EINVAL;
        if (iova + (size - 1) < iova)
            return Errno.EOVERFLOW;
        range = new IovaRange(iova, iova + (size - 1));
        return Errno.Ok;
    }

    /// <summary>iopt_table_add_domain: the domain's smallest page size becomes the IOAS's alignment if larger.</summary>
    public static ulong DomainAlignment(ulong pgsizeBitmap) => 1UL << BitOperations.TrailingZeroCount(pgsizeBitmap);

    /// <summary>iopt_table_add_domain: "a iommu_domain must always be able to accept PAGE_SIZE", or EINVAL.</summary>
    public static bool AlignmentFits(ulong alignment) => alignment <= Vfio.PageSize;

    /// <summary>iommufd_get_pagesizes: vfio_update_pgsize_bitmap's AND over the domains, then at least the alignment.</summary>
    public static ulong Pgsizes(IEnumerable<ulong> domainBitmaps, ulong alignment) => Math.Max(IovaPgsizes.Of(domainBitmaps), alignment);

    /// <summary>GET_INFO before any group made the compat IOAS: the argsz checks, then get_compat_ioas's ENODEV.</summary>
    public static Errno InfoWithoutIoas(ReadOnlySpan<byte> buffer) =>
        buffer.Length < Type1Info.MinArgsz ? Errno.EFAULT
        : BinaryPrimitives.ReadUInt32LittleEndian(buffer) < Type1Info.MinArgsz ? Errno.EINVAL
        : Errno.ENODEV;

    /// <summary>
    /// iopt_table_enforce_dev_resv_regions: which of a device's regions it reserves (all but
    /// DIRECT_RELAXABLE), and whether their MSI kinds are a sane combination: a SW_MSI together
    /// with an MSI, or two SW_MSIs, is EINVAL.
    /// </summary>
    public static bool Reserves(ResvRegion region) => region.Type != ResvType.DirectRelaxable;

    /// <inheritdoc cref="Reserves"/>
    public static bool MsiRegionsSane(IReadOnlyList<ResvRegion> regions)
    {
        int swMsi = 0, hwMsi = 0;
        foreach (var region in regions)
        {
            swMsi += region.Type == ResvType.SwMsi ? 1 : 0;
            hwMsi += region.Type == ResvType.Msi ? 1 : 0;
        }

        return swMsi == 0 || (hwMsi == 0 && swMsi == 1);
    }

    /// <summary>iommufd_group_setup_msi: the window of the cookie a group's SW_MSI region gives its domain, if it has one.</summary>
    public static IovaRange? SwMsiWindow(IReadOnlyList<ResvRegion> regions)
    {
        foreach (var region in regions)
        {
            if (region.Type == ResvType.SwMsi)
                return region.Range;
        }

        return null;
    }
}
