using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// The optimized VFIO type1 v2 container (docs/SPEC.md §2–§4): mappings in a <see cref="RangeTree{TValue}"/>
/// (O(log n) overlap and bisect checks), the valid list as a sorted array (binary search),
/// translation through an <see cref="IoPageTable"/> covering the u64 IOVA space, and the
/// zero-allocation <see cref="InfoWriter"/>. Same results, errors and bytes as the model.
/// </summary>
public sealed partial class VfioContainer : IVfioContainer, IInvariantChecked
{
    private readonly InfoWriter writer = new();
    private readonly InfoLayout layout;
    private readonly uint dmaEntryLimit;
    private readonly IovaListRules listRules;
    private readonly FindDmaRules findDma;
    private readonly ResvMergeRules resvMerge;
    private readonly List<IommuGroup> groups = [];
    private List<VfioDomain> domains = [];
    private readonly RangeTree<DmaEntry> mappings = new();
    private IoPageTable pageTable = new(IoPgtableConfig.Container);
    private IovaRange[] validIovas = [];
    private ulong iovaPgsizes;
    private uint dmaAvail;
    private int vaddrInvalidCount;
    private DoorbellPages? doorbells;

    public VfioContainer(InfoLayout layout = InfoLayout.Type1V66, uint dmaEntryLimit = Vfio.DefaultDmaEntryLimit, IovaListRules listRules = IovaListRules.AperResize, FindDmaRules findDma = FindDmaRules.Inclusive, ResvMergeRules resvMerge = ResvMergeRules.Touching)
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

    private bool HasIommu => groups.Count > 0;

    private ulong Pgsize => IovaPgsizes.MinPageSize(iovaPgsizes);

    public Errno AttachGroup(IommuGroup given)
    {
        if (vaddrInvalidCount > 0)
            return Errno.EBUSY;
        var group = given with { ResvRegions = ResvRegionUnion.Merge(given.ResvRegions, resvMerge) };
        foreach (var attached in groups)
        {
            if (attached.Id == group.Id)
                return Errno.EINVAL;
        }

        var aperture = group.Aperture;
        if (validIovas.Length > 0)
        {
            bool disjoint = aperture.Last < validIovas[0].Start || aperture.Start > validIovas[^1].Last;
            ulong first = validIovas[0].Start, last = validIovas[^1].Last;
            bool mappedBelow = aperture.Start > first && Finds(first, aperture.Start - 1);
            bool mappedAbove = aperture.Last < last && Finds(aperture.Last + 1, last);
            if (disjoint || mappedBelow || mappedAbove)
                return Errno.EINVAL;
        }

        foreach (var region in group.ResvRegions)
        {
            if (region.IsExcludedFromIovas && Finds(region.Start, region.Last))
                return Errno.EINVAL;
        }

        var list = IovaListSweep.ClipAndExclude(validIovas, aperture, group.ResvRegions, listRules);
        if (list.Length == 0)
            return Errno.EINVAL;
        var joined = VfioDomain.Attach(domains, group);
        ulong pgsizes = VfioDomain.Pgsizes(joined);
        if (pgsizes == 0)
            return Errno.EINVAL;

        if (!group.MsiIsolated && !AllowUnsafeInterrupts)
            return Errno.EPERM;

        groups.Add(group);
        domains = joined;
        validIovas = list;
        iovaPgsizes = pgsizes;
        if (SwMsiWindow(group) is IovaRange window)
            SetMsiWindow(window);
        return Errno.Ok;
    }

    /// <summary>Whether the attach checks' vfio_find_dma finds a mapping in <c>[start, last]</c>.</summary>
    private bool Finds(ulong start, ulong last) =>
        ReadsKernelTree(last) ? KernelFinds(start, last) : findDma.Searches(last) && mappings.FindFirstOverlapping(start, last, out _, out _, out _);

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
            topMapped = false;
            vaddrInvalidCount = 0;
            pageTable = new IoPageTable(IoPgtableConfig.Container);
            doorbells = null;
            validIovas = [];
            iovaPgsizes = 0;
            dmaAvail = dmaEntryLimit;
            return Errno.Ok;
        }

        StructuralEvents.Note(StructuralEvent.ContainerListRefresh);

        // Linux keeps the list's ends unless the domain went away (vfio_iommu_aper_expand, vfio_iommu_resv_refresh)
        var ends = domainFreed || listRules != IovaListRules.AperResize ? VfioDomain.Window(domains) : new IovaRange(validIovas[0].Start, validIovas[^1].Last);
        var refreshed = IovaListSweep.ClipAndExclude([ends], ends, groups.SelectMany(g => g.ResvRegions));
        if (refreshed.Length > 0 || listRules != IovaListRules.AperResize)
            validIovas = refreshed;
        iovaPgsizes = VfioDomain.Pgsizes(domains);
        SetMsiWindow(LatestMsiWindow());
        return Errno.Ok;
    }

    public Errno MapDma(ulong iova, ulong size, ulong vaddr, DmaMapFlags flags)
    {
        if (!HasIommu)
            return Errno.EINVAL;
        if (findDma.CheckMap(iova, size, vaddr, flags, Pgsize) is not Errno.Ok and var refused)
            return refused;
        ulong last = iova + (size - 1);
        ulong start = 0, end = 0;
        DmaEntry found = default;
        bool overlaps = ReadsKernelTree(last)
            ? dmaTree!.FindDma(iova, size) is { } node && mappings.FindContaining(node.Iova, out start, out end, out found)
            : mappings.FindFirstOverlapping(iova, last, out start, out end, out found);
        if ((flags & DmaMapFlags.Vaddr) != 0)
        {
            if (!overlaps)
                return Errno.ENOENT;
            if (!found.VaddrInvalid || start != iova || end != last)
                return Errno.EINVAL;
            mappings.TrySetValue(start, found with { Vaddr = vaddr, VaddrInvalid = false });
            vaddrInvalidCount--;
            return Errno.Ok;
        }

        if (overlaps)
            return Errno.EEXIST;
        if (dmaAvail == 0)
            return Errno.ENOSPC;
        if (!IovaListSweep.ContainsWhole(validIovas, new IovaRange(iova, last)))
            return Errno.EINVAL;
        if (ReadsKernelTree(last) && mappings.FindFirstOverlapping(iova, last, out _, out _, out _))
        {
            // the kernel's search missed it: the domain's iommu_map refuses the page and the new node leaves the tree again
            dmaTree!.Erase(dmaTree.Link(iova, size));
            return Errno.EEXIST;
        }

        if (pageTable.Map(iova, vaddr, size, flags.ToIommuProt()) != Errno.Ok)
            throw new InvariantViolation($"page table refused a checked mapping at 0x{iova:x}");
        mappings.Insert(iova, last, new DmaEntry(vaddr, flags, vaddr, VaddrInvalid: false));
        Linked(iova, last);
        dmaAvail--;
        return Errno.Ok;
    }

    public Errno UnmapDma(ulong iova, ulong size, DmaUnmapFlags flags, out ulong unmapped)
    {
        unmapped = 0;
        if (!flags.IsValidUnmap() || !HasIommu)
            return Errno.EINVAL;
        bool all = (flags & DmaUnmapFlags.All) != 0;
        bool invalidate = (flags & DmaUnmapFlags.Vaddr) != 0;
        ulong lo = 0, hi = ulong.MaxValue;
        if (all)
        {
            if (iova != 0 || size != 0)
                return Errno.EINVAL;
        }
        else
        {
            if (findDma.CheckUnmap(iova, size, Pgsize) is not Errno.Ok and var refused)
                return refused;
            hi = iova + (size - 1);
            lo = iova;
        }

        if (ReadsKernelTree(all ? 0 : hi))
            return UnmapByKernelTree(iova, size, all, invalidate, out unmapped);
        if (!all)
        {
            if (mappings.FindContaining(lo, out ulong start, out _, out _) && start != lo)
                return Errno.EINVAL;
            if (mappings.FindContaining(hi, out _, out ulong last, out _) && last != hi)
                return Errno.EINVAL;
        }

        if (invalidate)
            return InvalidateVaddrs(lo, hi, out unmapped);

        while (mappings.FindFirstOverlapping(lo, hi, out ulong start, out ulong last, out var entry))
        {
            Remove(start, last, entry);
            unmapped = unchecked(unmapped + (last - start + 1));
        }

        return Errno.Ok;
    }

    private void Remove(ulong start, ulong last, DmaEntry entry)
    {
        mappings.Remove(start);
        Unlinked(start, last);
        if (entry.VaddrInvalid)
            vaddrInvalidCount--;
        pageTable.Unmap(start, last - start + 1);
        dmaAvail++;
    }

    /// <summary>UNMAP_DMA with VADDR over <c>[lo, hi]</c>: all or nothing, so one pass to check and one to mark.</summary>
    private Errno InvalidateVaddrs(ulong lo, ulong hi, out ulong unmapped)
    {
        unmapped = 0;
        for (ulong cursor = lo; mappings.FindFirstOverlapping(cursor, hi, out _, out ulong last, out var entry); cursor = last + 1)
        {
            if (entry.VaddrInvalid)
                return Errno.EINVAL;
            if (last == ulong.MaxValue)
                break;
        }

        for (ulong cursor = lo; mappings.FindFirstOverlapping(cursor, hi, out ulong start, out ulong last, out var entry); cursor = last + 1)
        {
            mappings.TrySetValue(start, entry with { VaddrInvalid = true });
            vaddrInvalidCount++;
            unmapped = unchecked(unmapped + (last - start + 1));
            if (last == ulong.MaxValue)
                break;
        }

        return Errno.Ok;
    }

    public Errno GetInfo(Span<byte> buffer) =>
        HasIommu ? writer.Write(buffer, layout, iovaPgsizes, dmaAvail, validIovas) : Errno.EINVAL;

    public bool Translate(ulong iova, out ulong phys, out IommuProt prot) => pageTable.Translate(iova, out phys, out prot);

    public ContainerState State => new(
        groups.Select(g => g.Id).ToList(),
        mappings.InOrder().Select(m => new DmaMapping(m.Start, m.Last - m.Start + 1, m.Value.Vaddr, m.Value.Prot) { Phys = m.Value.Phys, VaddrInvalid = m.Value.VaddrInvalid }).ToList(),
        validIovas.ToList(),
        iovaPgsizes,
        dmaAvail,
        doorbells?.Window,
        doorbells?.Pages.ToList() ?? []);
}
