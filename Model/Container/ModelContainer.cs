using System.Runtime.InteropServices;

namespace Harness.Model;

/// <summary>
/// The reference VFIO type1 v2 container (docs/SPEC.md §2–§4): lists scanned linearly, every check
/// in the spec's order, all-or-nothing on error.
/// </summary>
public sealed class ModelContainer : IVfioContainer
{
    private readonly IInfoWriter writer = new ModelInfoWriter();
    private readonly InfoLayout layout;
    private readonly uint dmaEntryLimit;
    private readonly IovaListRules listRules;
    private readonly FindDmaRules findDma;
    private readonly ResvMergeRules resvMerge;

    private readonly List<IommuGroup> groups = [];
    private readonly List<DmaMapping> mappings = [];

    /// <summary>Under <see cref="FindDmaRules.SizeWraps"/>, the kernel's dma_list, whose shape decides what its searches find.</summary>
    private Type1DmaTree? dmaTree;
    private List<VfioDomain> domains = [];
    private List<IovaRange> validIovas = [];
    private ulong iovaPgsizes;
    private uint dmaAvail;
    private MsiCookie? msiCookie;

    public ModelContainer(InfoLayout layout = InfoLayout.Type1V66, uint dmaEntryLimit = Vfio.DefaultDmaEntryLimit, IovaListRules listRules = IovaListRules.AperResize, FindDmaRules findDma = FindDmaRules.Inclusive, ResvMergeRules resvMerge = ResvMergeRules.Touching)
    {
        this.layout = layout;
        this.dmaEntryLimit = dmaEntryLimit;
        this.listRules = listRules;
        this.findDma = findDma;
        this.resvMerge = resvMerge;
        dmaAvail = dmaEntryLimit;
        dmaTree = findDma == FindDmaRules.SizeWraps ? new Type1DmaTree() : null;
    }

    public bool AllowUnsafeInterrupts { get; set; }

    /// <summary>An independent copy (for state-machine snapshots).</summary>
    public ModelContainer Clone()
    {
        var copy = new ModelContainer(layout, dmaEntryLimit, listRules, findDma, resvMerge)
        {
            AllowUnsafeInterrupts = AllowUnsafeInterrupts,
            validIovas = validIovas.ToList(),
            domains = domains.ToList(),
            iovaPgsizes = iovaPgsizes,
            dmaAvail = dmaAvail,
            msiCookie = msiCookie,
            dmaTree = dmaTree?.Clone(),
        };
        copy.groups.AddRange(groups);
        copy.mappings.AddRange(mappings);
        return copy;
    }

    private bool HasIommu => groups.Count > 0;

    private ulong Pgsize => IovaPgsizes.MinPageSize(iovaPgsizes);

    public ContainerState State => new(
        groups.Select(g => g.Id).ToList(),
        mappings.ToList(),
        validIovas.ToList(),
        iovaPgsizes,
        dmaAvail,
        msiCookie?.Window,
        msiCookie?.Pages ?? []);

    public Errno AttachGroup(IommuGroup given)
    {
        // the regions as iommu_get_group_resv_regions merges them
        var group = given with { ResvRegions = ResvRegionMerge.Merge(given.ResvRegions, ResvRegionMerge.Joins(resvMerge)) };

        // 0. a vaddr invalidated (attach could need pinning)
        if (mappings.Any(m => m.VaddrInvalid))
            return Errno.EBUSY;

        // 1. already attached
        if (groups.Any(g => g.Id == group.Id))
            return Errno.EINVAL;

        // 2. aperture conflict (vfio_iommu_aper_conflict): a mapping in the list's span below or above the new aperture
        if (validIovas.Count > 0)
        {
            var span = new IovaRange(validIovas[0].Start, validIovas[^1].Last);
            bool below = group.Aperture.Start > span.Start && Finds(new IovaRange(span.Start, group.Aperture.Start - 1));
            bool above = group.Aperture.Last < span.Last && Finds(new IovaRange(group.Aperture.Last + 1, span.Last));
            if (!group.Aperture.Overlaps(span) || below || above)
                return Errno.EINVAL;
        }

        // 3. reserved conflict (vfio_iommu_resv_conflict)
        if (group.ResvRegions.Any(r => r.IsExcludedFromIovas && Finds(r.Range)))
            return Errno.EINVAL;

        // 4. the new list: clipped to the aperture, the group's regions cut out
        var list = ValidIovaList.Exclude(ValidIovaList.Resize(validIovas, group.Aperture, listRules), group.ResvRegions);
        if (list.Count == 0)
            return Errno.EINVAL;
        var joined = VfioDomain.Attach(domains, group);
        ulong pgsizes = VfioDomain.Pgsizes(joined);
        if (pgsizes == 0)
            return Errno.EINVAL;

        // 5. MSI isolation
        if (!group.MsiIsolated && !AllowUnsafeInterrupts)
            return Errno.EPERM;

        // 6. commit
        groups.Add(group);
        domains = joined;
        validIovas = list;
        iovaPgsizes = pgsizes;
        SetMsiWindow(MsiWindowOf(groups));
        return Errno.Ok;
    }

    /// <summary>Whether <c>vfio_find_dma(start, last − start + 1)</c> finds a mapping: any overlapping one, or under the wrap what the tree's shape finds.</summary>
    private bool Finds(IovaRange range) =>
        dmaTree is { } tree ? tree.FindDma(range.Start, unchecked(range.Last - range.Start + 1)) is not null : mappings.Any(m => m.Range.Overlaps(range));

    private int IndexOf(Type1DmaTree.Node node) => mappings.FindIndex(m => m.Iova == node.Iova);

    public Errno DetachGroup(int groupId)
    {
        int index = groups.FindIndex(g => g.Id == groupId);
        if (index < 0)
            return Errno.EINVAL;
        groups.RemoveAt(index);
        domains = VfioDomain.Detach(domains, groupId, out bool domainFreed);

        if (groups.Count == 0)
        {
            mappings.Clear();
            dmaTree = dmaTree is null ? null : new Type1DmaTree();
            dmaAvail = dmaEntryLimit;
            validIovas = [];
            iovaPgsizes = 0;
            SetMsiWindow(null);
            return Errno.Ok;
        }

        var regions = groups.SelectMany(g => g.ResvRegions);
        if (listRules == IovaListRules.AperResize)
        {
            // vfio_iommu_aper_expand (only when the domain went away), then vfio_iommu_resv_refresh from the list's ends
            var ends = domainFreed ? VfioDomain.Window(domains) : new IovaRange(validIovas[0].Start, validIovas[^1].Last);
            var refreshed = ValidIovaList.Exclude([ends], regions);
            if (refreshed.Count > 0)
                validIovas = refreshed;
        }
        else
        {
            validIovas = ValidIovaList.Exclude([VfioDomain.Window(domains)], regions);
        }

        iovaPgsizes = VfioDomain.Pgsizes(domains);
        SetMsiWindow(MsiWindowOf(groups));
        return Errno.Ok;
    }

    public Errno MapDma(ulong iova, ulong size, ulong vaddr, DmaMapFlags flags)
    {
        // 1.–3.
        if (!HasIommu)
            return Errno.EINVAL;
        if (findDma.CheckMap(iova, size, vaddr, flags, Pgsize) is not Errno.Ok and var refused)
            return refused;
        var range = IovaRange.FromSize(iova, size);

        // 4. (vfio_find_dma finds one overlapping mapping; an exact match is the only one there can be)
        int overlapping = dmaTree is { } tree
            ? tree.FindDma(iova, size) is { } found ? IndexOf(found) : -1
            : mappings.FindIndex(m => m.Range.Overlaps(range));
        if (flags.HasFlag(DmaMapFlags.Vaddr))
            return SetVaddr(overlapping, iova, size, vaddr);
        if (overlapping >= 0)
            return Errno.EEXIST;

        // 5.
        if (dmaAvail == 0)
            return Errno.ENOSPC;

        // 6.
        if (!ValidIovaList.ContainsWhole(validIovas, range))
            return Errno.EINVAL;

        // 7. (before v6.18 the search may miss an overlap: the domain's iommu_map refuses the page,
        // and vfio_pin_map_dma's vfio_remove_dma takes the node out of the tree again)
        if (mappings.Any(m => m.Range.Overlaps(range)))
        {
            dmaTree!.Erase(dmaTree.Link(iova, size));
            return Errno.EEXIST;
        }

        int at = mappings.FindIndex(m => m.Iova > iova);
        mappings.Insert(at < 0 ? mappings.Count : at, new DmaMapping(iova, size, vaddr, flags));
        dmaTree?.Link(iova, size);
        dmaAvail--;
        return Errno.Ok;
    }

    /// <summary>MAP_DMA with VADDR: the one mapping at exactly iova and size, its vaddr invalidated, gets the new vaddr.</summary>
    private Errno SetVaddr(int index, ulong iova, ulong size, ulong vaddr)
    {
        if (index < 0)
            return Errno.ENOENT;
        var mapping = mappings[index];
        if (!mapping.VaddrInvalid || mapping.Iova != iova || mapping.Size != size)
            return Errno.EINVAL;
        mappings[index] = mapping with { Vaddr = vaddr, VaddrInvalid = false };
        return Errno.Ok;
    }

    public Errno UnmapDma(ulong iova, ulong size, DmaUnmapFlags flags, out ulong unmapped)
    {
        unmapped = 0;
        if (!flags.IsValidUnmap() || !HasIommu)
            return Errno.EINVAL;
        bool invalidate = flags.HasFlag(DmaUnmapFlags.Vaddr);

        // 1. ALL
        if (flags.HasFlag(DmaUnmapFlags.All))
        {
            if (iova != 0 || size != 0)
                return Errno.EINVAL;
            var everything = dmaTree is null ? mappings.ToList() : Walked(0, 0, all: true)!;
            return invalidate ? InvalidateVaddrs(everything, out unmapped) : RemoveMappings(everything, out unmapped);
        }

        // 2.
        if (findDma.CheckUnmap(iova, size, Pgsize) is not Errno.Ok and var refused)
            return refused;
        var range = IovaRange.FromSize(iova, size);

        // 3.–4. v2: no mapping may be bisected; every mapping inside goes
        List<DmaMapping>? victims;
        if (dmaTree is not null)
        {
            victims = Walked(iova, size, all: false);
        }
        else
        {
            bool bisects = mappings.Any(m => (m.Range.Contains(range.Start) && m.Iova != range.Start) || (m.Range.Contains(range.Last) && m.Range.Last != range.Last));
            victims = bisects ? null : mappings.Where(m => range.Contains(m.Range)).ToList();
        }

        if (victims is null)
            return Errno.EINVAL;
        return invalidate ? InvalidateVaddrs(victims, out unmapped) : RemoveMappings(victims, out unmapped);
    }

    /// <summary>The mappings vfio_dma_do_unmap's loop takes (<see cref="Type1DmaTree.TryWalkUnmap"/>); null for a bisect check's EINVAL.</summary>
    private List<DmaMapping>? Walked(ulong iova, ulong size, bool all)
    {
        var visited = new List<Type1DmaTree.Node>();
        return dmaTree!.TryWalkUnmap(iova, size, all, visited) ? visited.Select(node => mappings[IndexOf(node)]).ToList() : null;
    }

    /// <summary>UNMAP_DMA with VADDR: every victim's vaddr invalidated and its size counted; one already invalid makes it EINVAL with nothing changed.</summary>
    private Errno InvalidateVaddrs(List<DmaMapping> victims, out ulong unmapped)
    {
        unmapped = 0;
        if (victims.Any(v => v.VaddrInvalid))
            return Errno.EINVAL;
        foreach (var victim in victims)
        {
            mappings[mappings.IndexOf(victim)] = victim with { VaddrInvalid = true };
            unmapped = unchecked(unmapped + victim.Size);
        }

        return Errno.Ok;
    }

    /// <summary>Unmapped bytes add up in a u64 that may wrap, as the kernel's does when all 2^64 bytes go at once.</summary>
    private Errno RemoveMappings(List<DmaMapping> victims, out ulong unmapped)
    {
        unmapped = 0;
        foreach (var victim in victims)
        {
            mappings.Remove(victim);
            if (dmaTree?.NodeAt(victim.Iova) is { } node)
                dmaTree.Erase(node);
            unmapped = unchecked(unmapped + victim.Size);
            dmaAvail++;
        }

        return Errno.Ok;
    }

    public Errno GetInfo(Span<byte> buffer) =>
        HasIommu
            ? writer.Write(buffer, layout, iovaPgsizes, dmaAvail, CollectionsMarshal.AsSpan(validIovas))
            : Errno.EINVAL;

    public Errno PrepareMsi(ulong doorbell, out ulong msiIova)
    {
        msiIova = 0;
        if (!HasIommu)
            return Errno.EINVAL;
        if (msiCookie is null)
        {
            msiIova = doorbell;
            return Errno.Ok;
        }

        var errno = msiCookie.Prepare(doorbell, page => mappings.Any(m => m.Range.Overlaps(page)), out msiIova, out var next);
        msiCookie = next;
        return errno;
    }

    public bool Translate(ulong iova, out ulong phys, out IommuProt prot)
    {
        foreach (var mapping in mappings)
        {
            if (mapping.Range.Contains(iova))
            {
                phys = mapping.Phys + (iova - mapping.Iova);
                prot = mapping.Prot.ToIommuProt();
                return true;
            }
        }

        if (msiCookie is not null && msiCookie.Translate(iova, out phys))
        {
            prot = Vfio.DoorbellProt;
            return true;
        }

        phys = 0;
        prot = IommuProt.None;
        return false;
    }

    /// <summary>
    /// The container's software MSI window: that of the most recently attached group which has a
    /// SwMsi region and no Msi region (vfio_iommu_has_sw_msi; the last SwMsi region counts).
    /// </summary>
    private static IovaRange? MsiWindowOf(IEnumerable<IommuGroup> attached)
    {
        foreach (var group in attached.Reverse())
        {
            if (group.ResvRegions.Any(r => r.Type == ResvType.Msi))
                continue;
            var swMsi = group.ResvRegions.Where(r => r.Type == ResvType.SwMsi).Select(r => (IovaRange?)r.Range).LastOrDefault();
            if (swMsi is not null)
                return swMsi;
        }

        return null;
    }

    /// <summary>Doorbell pages belong to the window they were mapped in: a new window starts empty.</summary>
    private void SetMsiWindow(IovaRange? window)
    {
        if (window != msiCookie?.Window)
            msiCookie = window is IovaRange w ? new MsiCookie(w) : null;
    }
}
