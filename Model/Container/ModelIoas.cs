using System.Runtime.InteropServices;

namespace Harness.Model;

/// <summary>
/// The reference iommufd compat container (docs/SPEC.md §3 "The iommufd compat container"): the
/// compat IOAS that VFIO's container ioctls reach when /dev/vfio/vfio is iommufd, with each
/// group's device bound and attached as vfio's iommufd path does it. Lists scanned linearly,
/// every check in the kernel's order, nothing changed on error but what the kernel keeps.
/// </summary>
public sealed class ModelIoas : IVfioContainer
{
    private readonly IInfoWriter writer = new ModelInfoWriter();

    /// <summary>The attached groups, oldest first.</summary>
    private readonly List<IommuGroup> groups = [];

    /// <summary>area_itree: the mappings, by iova.</summary>
    private readonly List<DmaMapping> areas = [];

    /// <summary>reserved_itree: every reservation with its owner (a device's regions, a domain's outside of its aperture).</summary>
    private readonly List<Reserved> reserved = [];

    /// <summary>ioas->hwpt_list: the automatic domains, oldest first.</summary>
    private readonly List<Hwpt> hwpts = [];

    private bool created;
    private ulong iovaAlignment = IommufdCompat.NoDomainAlignment;
    private int nextHwpt;

    public bool AllowUnsafeInterrupts { get; set; }

    /// <summary>An IOVA range the IOAS keeps unmappable, and whose it is.</summary>
    private readonly record struct Reserved(IovaRange Range, int? Group, int? Hwpt);

    /// <summary>An automatic hw_pagetable: its IOMMU domain, the groups attached to it, its MSI cookie.</summary>
    private sealed record Hwpt(int Serial, int? Key, IovaRange Aperture, ulong PgsizeBitmap, IReadOnlyList<int> Groups, MsiCookie? Cookie);

    /// <summary>An independent copy (for state-machine snapshots).</summary>
    public ModelIoas Clone()
    {
        var copy = new ModelIoas
        {
            AllowUnsafeInterrupts = AllowUnsafeInterrupts,
            created = created,
            iovaAlignment = iovaAlignment,
            nextHwpt = nextHwpt,
        };
        copy.groups.AddRange(groups);
        copy.areas.AddRange(areas);
        copy.reserved.AddRange(reserved);
        copy.hwpts.AddRange(hwpts);
        return copy;
    }

    public ContainerState State => new(
        groups.Select(g => g.Id).ToList(),
        areas.ToList(),
        created ? Holes() : [],
        created ? Pgsizes : 0,
        IommufdCompat.DmaAvail,
        MsiHwpt?.Cookie?.Window,
        MsiHwpt?.Cookie?.Pages ?? []);

    private ulong Pgsizes => IommufdCompat.Pgsizes(hwpts.Select(h => h.PgsizeBitmap), iovaAlignment);

    /// <summary>The domain a doorbell is asked of and translated through: that of the group attached last.</summary>
    private Hwpt? MsiHwpt => groups.Count == 0 ? null : hwpts.First(h => h.Groups.Contains(groups[^1].Id));

    private bool AreaIn(IovaRange range) => areas.Any(a => a.Range.Overlaps(range));

    /// <summary>
    /// VFIO_GROUP_SET_CONTAINER (which makes the compat IOAS), then the device's
    /// iommufd_device_bind and iommufd_device_attach to the IOAS.
    /// </summary>
    public Errno AttachGroup(IommuGroup group)
    {
        // 1. vfio_group_ioctl_set_container: a group has one container
        if (groups.Any(g => g.Id == group.Id))
            return Errno.EINVAL;
        created = true;

        // 2. iommufd_device_bind
        if (!group.MsiIsolated && !AllowUnsafeInterrupts)
            return Errno.EPERM;

        // 3. iopt_table_enforce_dev_resv_regions, at every domain tried (same answer each time)
        var regions = group.ResvRegions.Where(IommufdCompat.Reserves).ToList();
        if (regions.Any(r => AreaIn(r.Range)))
            return Errno.EADDRINUSE;
        if (!IommufdCompat.MsiRegionsSane(regions))
            return Errno.EINVAL;

        // 4. iommufd_device_auto_get_domain: the first domain iommu_attach_group takes, else a new one
        int joined = group.Domain is null ? -1 : hwpts.FindIndex(h => h.Key == group.Domain);
        Hwpt hwpt;
        if (joined >= 0)
        {
            hwpt = hwpts[joined];
            hwpts[joined] = hwpt with { Groups = [.. hwpt.Groups, group.Id], Cookie = hwpt.Cookie ?? NewCookie(regions) };
        }
        else
        {
            hwpt = new Hwpt(nextHwpt, group.Domain, group.Aperture, group.PgsizeBitmap, [group.Id], NewCookie(regions));
            if (AddDomain(hwpt) is not Errno.Ok and var refused)
                return refused;
            nextHwpt++;
            hwpts.Add(hwpt);
        }

        reserved.AddRange(regions.Select(r => new Reserved(r.Range, group.Id, null)));
        groups.Add(group);
        return Errno.Ok;
    }

    private static MsiCookie? NewCookie(IReadOnlyList<ResvRegion> regions) =>
        IommufdCompat.SwMsiWindow(regions) is IovaRange window ? new MsiCookie(window) : null;

    /// <summary>
    /// iopt_table_add_domain: the alignment (EINVAL above PAGE_SIZE; EADDRINUSE if a mapping does
    /// not keep a larger one), the space outside the aperture reserved (EADDRINUSE over a mapping),
    /// then iopt_fill_domain, whose iommu_map refuses a mapping with neither READ nor WRITE (EINVAL).
    /// </summary>
    private Errno AddDomain(Hwpt hwpt)
    {
        ulong alignment = Math.Max(IommufdCompat.DomainAlignment(hwpt.PgsizeBitmap), iovaAlignment);
        if (!IommufdCompat.AlignmentFits(alignment))
            return Errno.EINVAL;
        if (alignment != iovaAlignment && areas.Any(a => ((a.Iova | a.Size | (a.Vaddr % Vfio.PageSize)) & (alignment - 1)) != 0))
            return Errno.EADDRINUSE;

        var outside = OutsideOf(hwpt.Aperture);
        if (outside.Any(AreaIn))
            return Errno.EADDRINUSE;
        if (areas.Any(a => a.Prot.ToIommuProt() == IommuProt.None))
            return Errno.EINVAL;

        iovaAlignment = alignment;
        reserved.AddRange(outside.Select(r => new Reserved(r, null, hwpt.Serial)));
        return Errno.Ok;
    }

    private static List<IovaRange> OutsideOf(IovaRange aperture)
    {
        var outside = new List<IovaRange>();
        if (aperture.Start != 0)
            outside.Add(new IovaRange(0, aperture.Start - 1));
        if (aperture.Last != ulong.MaxValue)
            outside.Add(new IovaRange(aperture.Last + 1, ulong.MaxValue));
        return outside;
    }

    /// <summary>
    /// The device's iommufd_device_detach: its reservations go; its domain goes with its last
    /// group (iopt_table_remove_domain: the domain's reservations, the alignment recomputed). The
    /// IOAS and its mappings stay.
    /// </summary>
    public Errno DetachGroup(int groupId)
    {
        int index = groups.FindIndex(g => g.Id == groupId);
        if (index < 0)
            return Errno.EINVAL;
        groups.RemoveAt(index);
        reserved.RemoveAll(r => r.Group == groupId);

        int at = hwpts.FindIndex(h => h.Groups.Contains(groupId));
        var hwpt = hwpts[at] with { Groups = hwpts[at].Groups.Where(id => id != groupId).ToList() };
        if (hwpt.Groups.Count > 0)
        {
            hwpts[at] = hwpt;
            return Errno.Ok;
        }

        hwpts.RemoveAt(at);
        reserved.RemoveAll(r => r.Hwpt == hwpt.Serial);
        iovaAlignment = hwpts.Aggregate(IommufdCompat.NoDomainAlignment, (max, h) => Math.Max(max, IommufdCompat.DomainAlignment(h.PgsizeBitmap)));
        return Errno.Ok;
    }

    /// <summary>iommufd_vfio_map_dma → iopt_map_user_pages at a fixed IOVA.</summary>
    public Errno MapDma(ulong iova, ulong size, ulong vaddr, DmaMapFlags flags)
    {
        if (IommufdCompat.CheckMap(created, iova, size, vaddr, flags, iovaAlignment) is not Errno.Ok and var refused)
            return refused;

        var range = IovaRange.FromSize(iova, size);
        if (reserved.Any(r => r.Range.Overlaps(range)))
            return Errno.EINVAL;
        if (AreaIn(range))
            return Errno.EEXIST;
        if (IommufdCompat.CheckPageOffset(vaddr, iovaAlignment) is not Errno.Ok and var badOffset)
            return badOffset;

        // iopt_fill_domains_pages: each domain's iommu_map (io-pgtable-arm's prot check, then a doorbell page in the way)
        if (hwpts.Count > 0 && flags.ToIommuProt() == IommuProt.None)
            return Errno.EINVAL;
        if (hwpts.Any(h => h.Cookie is { } cookie && cookie.Pages.Any(p => range.Overlaps(new IovaRange(p.Iova, p.Iova + Vfio.PageSize - 1)))))
            return Errno.EEXIST;

        int index = areas.FindIndex(a => a.Iova > iova);
        areas.Insert(index < 0 ? areas.Count : index, new DmaMapping(iova, size, vaddr, flags));
        return Errno.Ok;
    }

    /// <summary>
    /// iommufd_vfio_unmap_dma → iopt_unmap_iova / iopt_unmap_all: the areas in the range, lowest
    /// first, each taken whole; one that reaches outside the range is ENOENT, and the areas taken
    /// before it stay unmapped and are counted in <paramref name="unmapped"/>, which the kernel
    /// copies back on that error too.
    /// </summary>
    public Errno UnmapDma(ulong iova, ulong size, DmaUnmapFlags flags, out ulong unmapped)
    {
        unmapped = 0;
        if (IommufdCompat.CheckUnmap(created, iova, size, flags, out var range) is not Errno.Ok and var refused)
            return refused;

        while (areas.FirstOrDefault(a => a.Range.Overlaps(range)) is { Size: > 0 } area)
        {
            if (!range.Contains(area.Range))
                return Errno.ENOENT;
            areas.Remove(area);
            unmapped = unchecked(unmapped + area.Size);
        }

        return Errno.Ok;
    }

    public Errno GetInfo(Span<byte> buffer) =>
        created
            ? writer.Write(buffer, InfoLayout.IommufdCompat, Pgsizes, IommufdCompat.DmaAvail, CollectionsMarshal.AsSpan(Holes()))
            : IommufdCompat.InfoWithoutIoas(buffer);

    /// <summary>iommufd_fill_cap_iova: the holes between the reservations' spans over [0, 2^64 − 1].</summary>
    private List<IovaRange> Holes()
    {
        var holes = new List<IovaRange>();
        UInt128 next = 0;
        foreach (var range in reserved.Select(r => r.Range).OrderBy(r => r.Start))
        {
            if (range.Start > next)
                holes.Add(new IovaRange((ulong)next, range.Start - 1));
            next = UInt128.Max(next, (UInt128)range.Last + 1);
        }

        if (next <= ulong.MaxValue)
            holes.Add(new IovaRange((ulong)next, ulong.MaxValue));
        return holes;
    }

    /// <summary>iommu_dma_prepare_msi through the MSI cookie of the last attached group's domain; without one, the doorbell itself.</summary>
    public Errno PrepareMsi(ulong doorbell, out ulong msiIova)
    {
        msiIova = 0;
        if (MsiHwpt is not { } hwpt)
            return Errno.EINVAL;
        if (hwpt.Cookie is null)
        {
            msiIova = doorbell;
            return Errno.Ok;
        }

        var errno = hwpt.Cookie.Prepare(doorbell, AreaIn, out msiIova, out var next);
        hwpts[hwpts.IndexOf(hwpt)] = hwpt with { Cookie = next };
        return errno;
    }

    /// <summary>What the last attached group's domain translates: every area (a domain holds none without READ or WRITE, §3), and its doorbell pages.</summary>
    public bool Translate(ulong iova, out ulong phys, out IommuProt prot)
    {
        phys = 0;
        prot = IommuProt.None;
        if (MsiHwpt is not { } hwpt)
            return false;
        foreach (var area in areas)
        {
            if (area.Range.Contains(iova))
            {
                phys = area.Phys + (iova - area.Iova);
                prot = area.Prot.ToIommuProt();
                return true;
            }
        }

        if (hwpt.Cookie is not null && hwpt.Cookie.Translate(iova, out phys))
        {
            prot = Vfio.DoorbellProt;
            return true;
        }

        return false;
    }
}
