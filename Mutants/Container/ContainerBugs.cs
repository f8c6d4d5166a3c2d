using System.Buffers.Binary;
using Harness.Implementation;
using Harness.Model;

namespace Harness.Mutants;

/// <summary>docs/SPEC.md §8.7: the valid-list exclusion also cut out DirectRelaxable regions (RMRRs meant to stay assignable).</summary>
public sealed class ExcludesDirectRelaxable(IVfioContainer inner) : ContainerDecorator(inner)
{
    public override Errno AttachGroup(IommuGroup group) => Inner.AttachGroup(group with
    {
        ResvRegions = group.ResvRegions.Select(r => r.Type == ResvType.DirectRelaxable ? r with { Type = ResvType.Reserved } : r).ToList(),
    });
}

/// <summary>docs/SPEC.md §8.7: the valid-list exclusion skipped SwMsi regions, leaving the MSI window mappable.</summary>
public sealed class SkipsSwMsi(IVfioContainer inner) : ContainerDecorator(inner)
{
    public override Errno AttachGroup(IommuGroup group) => Inner.AttachGroup(group with
    {
        ResvRegions = group.ResvRegions.Select(r => r.Type == ResvType.SwMsi ? r with { Type = ResvType.DirectRelaxable } : r).ToList(),
    });
}

/// <summary>
/// docs/SPEC.md §8.8: MAP_DMA checked the range against the span of the valid list instead of one
/// valid range, so a mapping across a hole (an MSI range, a PCI window) was accepted.
/// </summary>
public sealed class MapAcrossHole(IVfioContainer inner) : ContainerDecorator(inner)
{
    public override Errno MapDma(ulong iova, ulong size, ulong vaddr, DmaMapFlags flags)
    {
        var errno = Inner.MapDma(iova, size, vaddr, flags);
        var state = Inner.State;
        if (errno != Errno.EINVAL || state.ValidIovas.Count < 2 || !IovaRange.TryFromSize(iova, size, out var range))
            return errno;
        var span = new IovaRange(state.ValidIovas[0].Start, state.ValidIovas[^1].Last);
        ulong pgsize = IovaPgsizes.MinPageSize(state.IovaPgsizes);
        bool otherwiseValid = span.Contains(range) && !state.Mappings.Any(m => m.Range.Overlaps(range))
            && ((iova | size | vaddr) & (pgsize - 1)) == 0
            && flags is DmaMapFlags.Read or DmaMapFlags.Write or (DmaMapFlags.Read | DmaMapFlags.Write)
            && vaddr + (size - 1) >= vaddr && state.DmaAvail > 0;
        return otherwiseValid ? Errno.Ok : errno;
    }
}

/// <summary>
/// docs/SPEC.md §8.9: before the 2019 fix UNMAP_DMA tested <c>iova + size &lt; iova</c>, which wraps to
/// 0 for the last page of the address space, so that page could never be unmapped.
/// </summary>
public sealed class LastPageUnmappable(IVfioContainer inner) : ContainerDecorator(inner)
{
    public override Errno UnmapDma(ulong iova, ulong size, DmaUnmapFlags flags, out ulong unmapped)
    {
        unmapped = 0;
        return flags == DmaUnmapFlags.None && size != 0 && iova + size == 0 ? Errno.EINVAL : Inner.UnmapDma(iova, size, flags, out unmapped);
    }
}

/// <summary>
/// docs/SPEC.md §8.10: UNMAP_DMA kept v1 semantics under v2, so a range cutting into a mapping unmapped
/// every mapping starting inside it (and reported success) instead of failing with EINVAL.
/// </summary>
public sealed class BisectsMapping(IVfioContainer inner) : ContainerDecorator(inner)
{
    public override Errno UnmapDma(ulong iova, ulong size, DmaUnmapFlags flags, out ulong unmapped)
    {
        var errno = Inner.UnmapDma(iova, size, flags, out unmapped);
        if (errno != Errno.EINVAL || flags != DmaUnmapFlags.None || !IovaRange.TryFromSize(iova, size, out var range))
            return errno;
        var starting = Inner.State.Mappings.Where(m => range.Contains(m.Iova)).ToList();
        if (starting.Count == 0 || !Inner.State.Mappings.Any(m => m.Range.Overlaps(range) && !range.Contains(m.Range)))
            return errno;
        foreach (var mapping in starting)
        {
            Inner.UnmapDma(mapping.Iova, mapping.Size, DmaUnmapFlags.None, out ulong one);
            unmapped += one;
        }

        return Errno.Ok;
    }
}

/// <summary>docs/SPEC.md §8.11: GET_INFO copied the whole chain even when argsz was too small for it, writing past argsz.</summary>
public sealed class InfoWritesPastArgsz(IVfioContainer inner) : ContainerDecorator(inner)
{
    public override Errno GetInfo(Span<byte> buffer)
    {
        var errno = Inner.GetInfo(buffer);
        if (errno != Errno.Ok || buffer.Length < Type1Info.HeaderSize)
            return errno;
        uint needed = BinaryPrimitives.ReadUInt32LittleEndian(buffer);
        var full = new byte[Math.Max(needed, Type1Info.HeaderSize)];
        BinaryPrimitives.WriteUInt32LittleEndian(full, (uint)full.Length);
        Inner.GetInfo(full);
        full.AsSpan(Type1Info.HeaderSize, Math.Min(full.Length, buffer.Length) - Type1Info.HeaderSize).CopyTo(buffer[Type1Info.HeaderSize..]);
        return errno;
    }
}

/// <summary>docs/SPEC.md §8.14: the doorbell cursor ran past the end of the SwMsi window instead of failing when the window was full.</summary>
public sealed class MsiCursorPastWindow(IVfioContainer inner) : ContainerDecorator(inner)
{
    private readonly Dictionary<ulong, ulong> pastTheEnd = [];

    public override Errno PrepareMsi(ulong doorbell, out ulong msiIova)
    {
        var errno = Inner.PrepareMsi(doorbell, out msiIova);
        if (errno != Errno.ENOSPC || Inner.State.MsiWindow is not IovaRange window)
            return errno;
        ulong page = doorbell & ~(Vfio.PageSize - 1);
        if (!pastTheEnd.TryGetValue(page, out ulong iova))
            pastTheEnd[page] = iova = window.Last + 1 + ((ulong)pastTheEnd.Count * Vfio.PageSize);
        msiIova = iova + (doorbell - page);
        return Errno.Ok;
    }
}


