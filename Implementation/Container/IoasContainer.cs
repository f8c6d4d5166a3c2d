using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// The optimized iommufd compat container (docs/SPEC.md §3 "The iommufd compat container"):
/// areas in a <see cref="RangeTree{TValue}"/> (O(log n) overlap checks and unmap walk), the
/// reservations folded into sorted disjoint spans and their holes on every attach and detach
/// (binary search on MAP), each domain's doorbell pages one contiguous run from its window's
/// first page (an O(1) overlap test). Same results, errors and bytes as <see cref="ModelIoas"/>.
/// </summary>
public sealed class IoasContainer : IVfioContainer, IInvariantChecked
{
    private readonly InfoWriter writer = new();
    private readonly RangeTree<DmaEntry> areas = new();
    private readonly List<IommuGroup> groups = [];
    private readonly List<Reservation> reservations = [];
    private readonly List<Domain> domains = [];
    private readonly Dictionary<int, Domain> domainOf = [];
    private IovaRange[] spans = [];
    private IovaRange[] holes = [new(0, ulong.MaxValue)];
    private bool created;
    private ulong alignment = IommufdCompat.NoDomainAlignment;
    private int protlessAreas;

    public bool AllowUnsafeInterrupts { get; set; }

    /// <summary>One reservation: a device's region (<see cref="Domain"/> null) or a domain's outside of its aperture.</summary>
    private readonly record struct Reservation(ulong Start, ulong Last, int GroupId, Domain? Domain);

    private sealed class Domain(int? key, IovaRange aperture, ulong pgsizeBitmap)
    {
        public int? Key => key;

        public IovaRange Aperture => aperture;

        public ulong PgsizeBitmap => pgsizeBitmap;

        public int Groups { get; set; }

        public DoorbellPages? Doorbells { get; set; }
    }

    public Errno AttachGroup(IommuGroup group)
    {
        if (domainOf.ContainsKey(group.Id))
            return Errno.EINVAL;
        created = true;
        if (!group.MsiIsolated && !AllowUnsafeInterrupts)
            return Errno.EPERM;

        foreach (var region in group.ResvRegions)
        {
            if (IommufdCompat.Reserves(region) && areas.FindFirstOverlapping(region.Start, region.Last, out _, out _, out _))
                return Errno.EADDRINUSE;
        }

        var reserved = group.ResvRegions.Where(IommufdCompat.Reserves).ToList();
        if (!IommufdCompat.MsiRegionsSane(reserved))
            return Errno.EINVAL;

        var domain = group.Domain is null ? null : domains.Find(d => d.Key == group.Domain);
        if (domain is null)
        {
            domain = new Domain(group.Domain, group.Aperture, group.PgsizeBitmap);
            if (AddDomain(domain) is not Errno.Ok and var refused)
                return refused;
        }

        if (domain.Doorbells is null && IommufdCompat.SwMsiWindow(reserved) is IovaRange window)
            domain.Doorbells = new DoorbellPages(window);
        domain.Groups++;
        domainOf.Add(group.Id, domain);
        groups.Add(group);
        foreach (var region in reserved)
            reservations.Add(new Reservation(region.Start, region.Last, group.Id, null));
        Fold();
        return Errno.Ok;
    }

    private Errno AddDomain(Domain domain)
    {
        ulong wanted = Math.Max(IommufdCompat.DomainAlignment(domain.PgsizeBitmap), alignment);
        if (!IommufdCompat.AlignmentFits(wanted))
            return Errno.EINVAL;
        if (wanted != alignment && !AreasKeep(wanted))
            return Errno.EADDRINUSE;

        var aperture = domain.Aperture;
        bool below = aperture.Start != 0 && areas.FindFirstOverlapping(0, aperture.Start - 1, out _, out _, out _);
        bool above = aperture.Last != ulong.MaxValue && areas.FindFirstOverlapping(aperture.Last + 1, ulong.MaxValue, out _, out _, out _);
        if (below || above)
            return Errno.EADDRINUSE;
        if (protlessAreas > 0)
            return Errno.EINVAL;

        alignment = wanted;
        if (aperture.Start != 0)
            reservations.Add(new Reservation(0, aperture.Start - 1, 0, domain));
        if (aperture.Last != ulong.MaxValue)
            reservations.Add(new Reservation(aperture.Last + 1, ulong.MaxValue, 0, domain));
        domains.Add(domain);
        return Errno.Ok;
    }

    private bool AreasKeep(ulong wanted)
    {
        foreach (var (start, last, entry) in areas.InOrder())
        {
            if (((start | (last - start + 1) | (entry.Vaddr % Vfio.PageSize)) & (wanted - 1)) != 0)
                return false;
        }

        return true;
    }

    public Errno DetachGroup(int groupId)
    {
        if (!domainOf.Remove(groupId, out var domain))
            return Errno.EINVAL;
        groups.RemoveAt(groups.FindIndex(g => g.Id == groupId));
        reservations.RemoveAll(r => r.Domain is null && r.GroupId == groupId);
        if (--domain.Groups == 0)
        {
            domains.Remove(domain);
            reservations.RemoveAll(r => r.Domain == domain);
            alignment = IommufdCompat.NoDomainAlignment;
            foreach (var left in domains)
                alignment = Math.Max(alignment, IommufdCompat.DomainAlignment(left.PgsizeBitmap));
        }

        StructuralEvents.Note(StructuralEvent.ContainerListRefresh);
        Fold();
        return Errno.Ok;
    }

    /// <summary>The reservations as sorted disjoint spans (touching ones joined), and the holes between them.</summary>
    private void Fold()
    {
        var sorted = reservations.Select(r => new IovaRange(r.Start, r.Last)).OrderBy(r => r.Start).ToList();
        var folded = new List<IovaRange>(sorted.Count);
        var gaps = new List<IovaRange>(sorted.Count + 1);
        ulong hole = 0;
        bool open = true;
        foreach (var range in sorted)
        {
            if (folded.Count > 0 && (folded[^1].Last == ulong.MaxValue || range.Start <= folded[^1].Last + 1))
            {
                folded[^1] = new IovaRange(folded[^1].Start, Math.Max(folded[^1].Last, range.Last));
            }
            else
            {
                if (range.Start > hole)
                    gaps.Add(new IovaRange(hole, range.Start - 1));
                folded.Add(range);
            }

            open = folded[^1].Last != ulong.MaxValue;
            hole = open ? folded[^1].Last + 1 : 0;
        }

        if (open)
            gaps.Add(new IovaRange(hole, ulong.MaxValue));
        spans = [.. folded];
        holes = [.. gaps];
    }

    private bool Reserved(ulong start, ulong last)
    {
        int lo = 0, hi = spans.Length - 1, below = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (spans[mid].Start <= last)
            {
                below = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return below >= 0 && spans[below].Last >= start;
    }

    public Errno MapDma(ulong iova, ulong size, ulong vaddr, DmaMapFlags flags)
    {
        if (IommufdCompat.CheckMap(created, iova, size, vaddr, flags, alignment) is not Errno.Ok and var refused)
            return refused;
        ulong last = iova + (size - 1);
        if (Reserved(iova, last))
            return Errno.EINVAL;
        if (areas.FindFirstOverlapping(iova, last, out _, out _, out _))
            return Errno.EEXIST;
        if (IommufdCompat.CheckPageOffset(vaddr, alignment) is not Errno.Ok and var badOffset)
            return badOffset;

        bool protless = flags.ToIommuProt() == IommuProt.None;
        if (domains.Count > 0 && protless)
            return Errno.EINVAL;
        foreach (var domain in domains)
        {
            if (domain.Doorbells is { Pages.Count: > 0 } doorbells && DoorbellRun(doorbells).Overlaps(new IovaRange(iova, last)))
                return Errno.EEXIST;
        }

        areas.Insert(iova, last, new DmaEntry(vaddr, flags, vaddr, VaddrInvalid: false));
        protlessAreas += protless ? 1 : 0;
        return Errno.Ok;
    }

    /// <summary>The doorbell pages are handed out one after another from the window's first page, so they are one run.</summary>
    private static IovaRange DoorbellRun(DoorbellPages doorbells) =>
        new(doorbells.Pages[0].Iova, doorbells.Pages[^1].Iova + (Vfio.PageSize - 1));

    public Errno UnmapDma(ulong iova, ulong size, DmaUnmapFlags flags, out ulong unmapped)
    {
        unmapped = 0;
        if (IommufdCompat.CheckUnmap(created, iova, size, flags, out var range) is not Errno.Ok and var refused)
            return refused;
        ulong lo = range.Start, hi = range.Last;

        while (areas.FindFirstOverlapping(lo, hi, out ulong start, out ulong last, out var entry))
        {
            if (start < lo || last > hi)
                return Errno.ENOENT;
            areas.Remove(start);
            protlessAreas -= entry.Prot.ToIommuProt() == IommuProt.None ? 1 : 0;
            unmapped = unchecked(unmapped + (last - start + 1));
        }

        return Errno.Ok;
    }

    public Errno GetInfo(Span<byte> buffer) =>
        created
            ? writer.Write(buffer, InfoLayout.IommufdCompat, Pgsizes, IommufdCompat.DmaAvail, holes)
            : IommufdCompat.InfoWithoutIoas(buffer);

    private ulong Pgsizes => IommufdCompat.Pgsizes(domains.Select(d => d.PgsizeBitmap), alignment);

    private Domain? LastAttached => groups.Count == 0 ? null : domainOf[groups[^1].Id];

    public Errno PrepareMsi(ulong doorbell, out ulong msiIova)
    {
        msiIova = 0;
        if (LastAttached is not { } domain)
            return Errno.EINVAL;
        if (domain.Doorbells is not { } doorbells)
        {
            msiIova = doorbell;
            return Errno.Ok;
        }

        return doorbells.Prepare(doorbell, (iova, phys) => !areas.FindFirstOverlapping(iova, iova + (Vfio.PageSize - 1), out _, out _, out _), out msiIova);
    }

    public bool Translate(ulong iova, out ulong phys, out IommuProt prot)
    {
        phys = 0;
        prot = IommuProt.None;
        if (LastAttached is not { } domain)
            return false;
        if (areas.FindContaining(iova, out ulong start, out _, out var entry))
        {
            phys = entry.Phys + (iova - start);
            prot = entry.Prot.ToIommuProt();
            return true;
        }

        if (domain.Doorbells is { Pages.Count: > 0 } doorbells && DoorbellRun(doorbells).Contains(iova))
        {
            var page = doorbells.Pages[(int)((iova - doorbells.Pages[0].Iova) / Vfio.PageSize)];
            phys = page.Phys + (iova - page.Iova);
            prot = Vfio.DoorbellProt;
            return true;
        }

        return false;
    }

    public ContainerState State => new(
        groups.Select(g => g.Id).ToList(),
        areas.InOrder().Select(a => new DmaMapping(a.Start, a.Last - a.Start + 1, a.Value.Vaddr, a.Value.Prot)).ToList(),
        created ? holes.ToList() : [],
        created ? Pgsizes : 0,
        IommufdCompat.DmaAvail,
        LastAttached?.Doorbells?.Window,
        LastAttached?.Doorbells?.Pages.ToList() ?? []);

    public void CheckInvariants()
    {
        areas.CheckInvariants();
        int protless = 0;
        foreach (var (start, last, entry) in areas.InOrder())
        {
            if (Reserved(start, last))
                throw new InvariantViolation($"area [0x{start:x}, 0x{last:x}] lies in a reservation");
            if (((start | (last - start + 1)) & (alignment - 1)) != 0)
                throw new InvariantViolation($"area [0x{start:x}, 0x{last:x}] breaks the alignment 0x{alignment:x}");
            protless += entry.Prot.ToIommuProt() == IommuProt.None ? 1 : 0;
        }

        if (protless != protlessAreas || (protless > 0 && domains.Count > 0))
            throw new InvariantViolation($"{protless} areas without READ or WRITE (counted {protlessAreas}) beside {domains.Count} domains");
        if (domains.Sum(d => d.Groups) != groups.Count || domainOf.Count != groups.Count)
            throw new InvariantViolation("the domains' group counts do not add up to the attached groups");
        foreach (var domain in domains)
            domain.Doorbells?.CheckInvariants();
    }
}
