using System.Buffers.Binary;

namespace Harness.Model;

/// <summary>
/// A userspace driver on a VFIO container, as DESIGN.md draws the data flow: attach groups, ask
/// GET_INFO (retrying with the argsz the kernel asks for), parse the capability chain, allocate
/// IOVAs from the parsed valid ranges, map, translate, unmap, detach. Built from a container, a
/// parser and an allocator factory, so the model's and the implementation's run side by side.
/// Each step returns its outcome; where the layers below broke the flow's promises (an IOVA
/// allocated from the parsed list that does not map, a doorbell outside its window, a mapping
/// that does not translate back), the step says so as <see cref="DmaStep.Broken"/>.
/// </summary>
public sealed class DmaStack(IVfioContainer container, ICapChainParser parser, Func<IovaDomain, IIovaAllocator> newAllocator) : IInvariantChecked
{
    /// <summary>Every DMA this stack maps is read-write, as a device's buffers are.</summary>
    private const DmaMapFlags MapProt = DmaMapFlags.Read | DmaMapFlags.Write;

    private readonly List<LiveDma> live = [];
    private readonly List<IommuGroup> attached = [];

    public IVfioContainer Container { get; } = container;

    public IIovaAllocator? Allocator { get; private set; }

    public IReadOnlyList<LiveDma> Live => live;

    public ulong NextVaddr { get; private set; } = 0x10_0000_0000;

    /// <summary>The model side's copy for the next state-machine snapshot.</summary>
    public DmaStack Clone(Func<IVfioContainer, IVfioContainer> cloneContainer, Func<IIovaAllocator, IIovaAllocator> cloneAllocator)
    {
        var copy = new DmaStack(cloneContainer(Container), parser, newAllocator)
        {
            Allocator = Allocator is null ? null : cloneAllocator(Allocator),
            NextVaddr = NextVaddr,
        };
        copy.live.AddRange(live);
        copy.attached.AddRange(attached);
        return copy;
    }

    public Errno Attach(IommuGroup group)
    {
        var errno = Container.AttachGroup(group);
        if (errno == Errno.Ok)
        {
            attached.Add(group);
            Allocator = null;
        }

        return errno;
    }

    public Errno Detach(int groupId)
    {
        var errno = Container.DetachGroup(groupId);
        if (errno == Errno.Ok)
        {
            attached.RemoveAll(g => g.Id == groupId);
            if (attached.Count == 0)
            {
                live.Clear();
                Allocator = null;
            }
        }

        return errno;
    }

    /// <summary>GET_INFO with the argsz protocol, then a fresh allocator over the parsed ranges; live mappings stay reserved in it.</summary>
    public DmaStep Refresh()
    {
        var (info, broken) = QueryInfo();
        if (broken is not null)
            return DmaStep.Violation(broken);
        if (info is null)
            return new("no IOMMU");
        if (info.IovaRanges is not { } ranges)
            return new("no IOVA_RANGE");

        ulong pgsize = IovaPgsizes.MinPageSize(info.IovaPgsizes);
        if (pgsize == 0)
            return DmaStep.Violation($"GET_INFO reported no page size (0x{info.IovaPgsizes:x})");
        var domain = new IovaDomain(pgsize, 1);
        var allocator = newAllocator(domain);
        ReserveOutside(allocator, ranges, pgsize);
        for (int i = 0; i < live.Count; i++)
        {
            allocator.Reserve(live[i].Iova / pgsize, (live[i].Iova + live[i].Size - 1) / pgsize);
            live[i] = live[i] with { FromAllocator = false };
        }

        Allocator = allocator;
        return new($"{ranges.Count} ranges [{string.Join(", ", ranges)}] pgsize 0x{pgsize:x} dma_avail {info.DmaAvail?.ToString() ?? "?"}");
    }

    /// <summary>GET_INFO's answer, null without an IOMMU, or what broke the argsz protocol.</summary>
    private (ParsedInfo? Info, string? Broken) QueryInfo()
    {
        uint argsz = Type1Info.HeaderSize;
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var buffer = new byte[argsz];
            BinaryPrimitives.WriteUInt32LittleEndian(buffer, argsz);
            var errno = Container.GetInfo(buffer);
            if (errno != Errno.Ok)
                return errno == Errno.EINVAL && attached.Count == 0 ? (null, null) : (null, $"GET_INFO(argsz {argsz}) failed with {errno}");
            if (!parser.TryParse(buffer, out var info, out var error))
                return (null, $"the kernel's own GET_INFO answer does not parse: {error}");
            if (!info.Truncated)
                return (info, null);
            argsz = info.Argsz;
        }

        return (null, $"GET_INFO still truncated with the argsz {argsz} it asked for");
    }

    /// <summary>Reserves every pfn not wholly inside one of <paramref name="ranges"/>.</summary>
    private static void ReserveOutside(IIovaAllocator allocator, IReadOnlyList<IovaRange> ranges, ulong pgsize)
    {
        UInt128 next = 0;
        ulong lastPfn = ulong.MaxValue / pgsize;
        foreach (var range in ranges.OrderBy(r => r.Start))
        {
            UInt128 first = ((UInt128)range.Start + pgsize - 1) / pgsize;
            UInt128 last = ((UInt128)range.Last + 1) / pgsize;
            if (first >= last)
                continue;
            if (first > next)
                allocator.Reserve((ulong)next, (ulong)(first - 1));
            next = UInt128.Max(next, last);
        }

        if (next <= lastPfn)
            allocator.Reserve((ulong)next, lastPfn);
    }

    /// <summary>Allocates <paramref name="pages"/> from the parsed ranges and maps them: an IOVA the allocator hands out must map.</summary>
    public DmaStep MapNext(ulong pages)
    {
        if (Allocator is null)
            return new("no allocator (attach changed the list; refresh first)");
        ulong pgsize = Allocator.Domain.Granule;
        var alloc = Allocator.Alloc(pages, ulong.MaxValue / pgsize, sizeAligned: true, out ulong pfn);
        if (alloc != Errno.Ok)
            return new($"alloc {alloc}");
        ulong iova = pfn * pgsize, size = pages * pgsize;
        var errno = Container.MapDma(iova, size, NextVaddr, MapProt);
        if (errno is not (Errno.Ok or Errno.ENOSPC))
            return DmaStep.Violation($"IOVA 0x{iova:x} (0x{size:x} bytes), allocated from the parsed valid list, does not map: {errno}");
        if (errno != Errno.Ok)
        {
            Allocator.Free(pfn);
            return new($"iova 0x{iova:x} {errno}");
        }

        live.Add(new LiveDma(iova, size, NextVaddr, true));
        NextVaddr += size;
        return new($"iova 0x{iova:x} size 0x{size:x} Ok");
    }

    public DmaStep UnmapNth(int index)
    {
        if (live.Count == 0)
            return new("nothing mapped");
        var dma = live[index % live.Count];
        var errno = Container.UnmapDma(dma.Iova, dma.Size, DmaUnmapFlags.None, out ulong unmapped);
        if (errno != Errno.Ok || unmapped != dma.Size)
            return DmaStep.Violation($"unmapping the stack's own mapping at 0x{dma.Iova:x} gave {errno} with 0x{unmapped:x} of 0x{dma.Size:x} bytes");
        live.Remove(dma);
        if (dma.FromAllocator)
            Allocator?.Free(dma.Iova / Allocator.Domain.Granule);
        return new($"unmapped 0x{dma.Iova:x}");
    }

    public DmaStep TranslateNth(int index, ulong offset)
    {
        if (live.Count == 0)
            return new("nothing mapped");
        var dma = live[index % live.Count];
        ulong iova = dma.Iova + (offset % dma.Size);
        if (!Container.Translate(iova, out ulong phys, out var prot) || phys != dma.Vaddr + (offset % dma.Size) || prot != MapProt.ToIommuProt())
            return DmaStep.Violation($"mapped IOVA 0x{iova:x} does not translate to vaddr 0x{dma.Vaddr + (offset % dma.Size):x} with {MapProt.ToIommuProt()}");
        return new($"0x{iova:x} -> 0x{phys:x} {prot}");
    }

    /// <summary>
    /// A translated doorbell IOVA lands in an attached group's SwMsi window, outside every mapping,
    /// and translates back to the doorbell. An untranslated one (the address itself) is the group's
    /// own business: a HW MSI window is reserved, so nothing maps there; a group without an MSI
    /// region may have DMA mapped over the address, which is legal.
    /// </summary>
    public DmaStep Doorbell(ulong address)
    {
        var errno = Container.PrepareMsi(address, out ulong iova);
        if (errno != Errno.Ok)
            return new(errno.ToString());
        if (iova != address)
        {
            bool inWindow = attached.Any(g => g.ResvRegions.Any(r => r.Type == ResvType.SwMsi && r.Range.Contains(iova)));
            if (!inWindow || !Container.Translate(iova, out ulong phys, out var prot) || phys != address || prot != Vfio.DoorbellProt)
                return DmaStep.Violation($"doorbell 0x{address:x} got IOVA 0x{iova:x}, outside a SwMsi window or not translating back as {Vfio.DoorbellProt}");
            if (live.Any(dma => dma.Iova <= iova && iova - dma.Iova < dma.Size))
                return DmaStep.Violation($"doorbell IOVA 0x{iova:x} lies inside a DMA mapping");
        }

        return new($"msi iova 0x{iova:x}");
    }

    /// <summary>No mapping of the stack's lies in a reserved region of any attached group.</summary>
    public void CheckInvariants()
    {
        foreach (var dma in live)
        {
            var range = IovaRange.FromSize(dma.Iova, dma.Size);
            foreach (var region in attached.SelectMany(g => g.ResvRegions))
            {
                if (region.IsExcludedFromIovas && region.Range.Overlaps(range))
                    throw new InvariantViolation($"mapping {range} lies in reserved region {region}");
            }
        }

        (Container as IInvariantChecked)?.CheckInvariants();
        (Allocator as IInvariantChecked)?.CheckInvariants();
    }
}
