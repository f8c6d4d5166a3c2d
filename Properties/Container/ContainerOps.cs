using System.Buffers.Binary;
using System.Text.Json.Serialization;
using Harness.Model;

namespace Harness.Properties;

/// <summary>
/// One container run: its GET_INFO layout and module parameters, the profile whose rules hold
/// (ideal in files recorded before profiles), and whether it is a deep run, whose calls also map
/// and unmap by the hundred (<see cref="ContainerSpec.Deep"/>).
/// </summary>
public sealed record ContainerSetup(InfoLayout Layout, uint DmaEntryLimit, bool AllowUnsafeInterrupts, string Profile = "ideal", bool Deep = false)
{
    [JsonIgnore]
    public KernelProfile Kernel => KernelProfiles.Named(Profile);

    public override string ToString() =>
        $"profile {Profile}, {Layout} GET_INFO, dma_entry_limit {DmaEntryLimit}{(AllowUnsafeInterrupts ? ", allow_unsafe_interrupts" : "")}{(Deep ? ", deep" : "")}";
}

/// <summary>A VFIO type1 container call (docs/SPEC.md §2–§4).</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "op")]
[JsonDerivedType(typeof(AttachOp), "attach")]
[JsonDerivedType(typeof(DetachOp), "detach")]
[JsonDerivedType(typeof(MapDmaOp), "mapDma")]
[JsonDerivedType(typeof(UnmapDmaOp), "unmapDma")]
[JsonDerivedType(typeof(MapRunOp), "mapRun")]
[JsonDerivedType(typeof(GetInfoOp), "getInfo")]
[JsonDerivedType(typeof(PrepareMsiOp), "prepareMsi")]
[JsonDerivedType(typeof(TranslateIovaOp), "translate")]
[JsonDerivedType(typeof(UnsafeInterruptsOp), "unsafeInterrupts")]
public abstract record ContainerOp : Op<IVfioContainer>;

public sealed record AttachOp(IommuGroup Group) : ContainerOp
{
    public override string Apply(IVfioContainer container) => container.AttachGroup(Group).ToString();

    public override IEnumerable<Op<IVfioContainer>> Shrink() => GroupGen.Shrink(Group).Select(group => new AttachOp(group));

    public override string ToString() => $"AttachGroup({Group})";
}

public sealed record DetachOp(int GroupId) : ContainerOp
{
    public override string Apply(IVfioContainer container) => container.DetachGroup(GroupId).ToString();

    public override string ToString() => $"DetachGroup({GroupId})";
}

public sealed record MapDmaOp(ulong Iova, ulong Size, ulong Vaddr, DmaMapFlags Flags) : ContainerOp
{
    public override string Apply(IVfioContainer container) => container.MapDma(Iova, Size, Vaddr, Flags).ToString();

    public override IEnumerable<Op<IVfioContainer>> Shrink() =>
        Shrinks.Aligned(Size, Vfio.PageSize).Where(size => size != 0).Select(size => this with { Size = size })
            .Concat(Shrinks.Aligned(Vaddr, Vfio.PageSize).Select(vaddr => this with { Vaddr = vaddr }))
            .Concat(Shrinks.Aligned(Iova, Vfio.PageSize).Select(iova => this with { Iova = iova }))
            .Concat(Flags != DmaMapFlags.Read ? [this with { Flags = DmaMapFlags.Read }] : []);

    public override string ToString() => $"MapDma(iova 0x{Iova:x}, size 0x{Size:x}, vaddr 0x{Vaddr:x}, {Flags})";
}

/// <summary>
/// <see cref="Count"/> MAP_DMA calls of <see cref="Size"/> bytes each, side by side from
/// <see cref="Iova"/> (and from <see cref="Vaddr"/>): a mapping tree grown by hundreds in one call,
/// so a counterexample that needs its leaves split or drained stays short.
/// </summary>
public sealed record MapRunOp(int Count, ulong Iova, ulong Size, ulong Vaddr, DmaMapFlags Flags) : ContainerOp
{
    public override string Apply(IVfioContainer container)
    {
        var answers = new AnswerRuns("iova");
        for (int i = 0; i < Count; i++)
        {
            ulong offset = unchecked((ulong)i * Size);
            ulong iova = unchecked(Iova + offset);
            var errno = container.MapDma(iova, Size, unchecked(Vaddr + offset), Flags);
            answers.Add(iova, errno == Errno.Ok ? null : errno.ToString());
        }

        return answers.ToString();
    }

    public override IEnumerable<Op<IVfioContainer>> Shrink() =>
        Shrinks.Counts(Count).Select(count => (Op<IVfioContainer>)(this with { Count = count }))
            .Concat(Shrinks.Aligned(Size, Vfio.PageSize).Where(size => size != 0).Select(size => this with { Size = size }))
            .Concat(Shrinks.Aligned(Iova, Vfio.PageSize).Select(iova => this with { Iova = iova }))
            .Concat(Shrinks.Aligned(Vaddr, Vfio.PageSize).Select(vaddr => this with { Vaddr = vaddr }));

    public override string ToString() => $"MapRun({Count} × size 0x{Size:x} from iova 0x{Iova:x}, vaddr 0x{Vaddr:x}, {Flags})";
}

public sealed record UnmapDmaOp(ulong Iova, ulong Size, DmaUnmapFlags Flags) : ContainerOp
{
    public override string Apply(IVfioContainer container)
    {
        var errno = container.UnmapDma(Iova, Size, Flags, out ulong unmapped);
        return errno == Errno.Ok || unmapped != 0 ? $"{errno} unmapped 0x{unmapped:x}" : errno.ToString();
    }

    public override IEnumerable<Op<IVfioContainer>> Shrink() =>
        Shrinks.Aligned(Size, Vfio.PageSize).Select(size => this with { Size = size })
            .Concat(Shrinks.Aligned(Iova, Vfio.PageSize).Select(iova => this with { Iova = iova }));

    public override string ToString() => $"UnmapDma(iova 0x{Iova:x}, size 0x{Size:x}{(Flags == DmaUnmapFlags.None ? "" : $", {Flags}")})";
}

/// <summary>
/// GET_INFO into a <see cref="Length"/>-byte buffer, 0xAA-filled, whose first four bytes say
/// <see cref="Argsz"/>. The outcome holds every byte of the buffer, so a stray write shows; a
/// write at or past argsz, or any write on failure, is a divergence on its own (for either side).
/// </summary>
public sealed record GetInfoOp(uint Argsz, int Length) : ContainerOp
{
    private const byte Fill = 0xAA;

    public override string Apply(IVfioContainer container)
    {
        var buffer = new byte[Length];
        Array.Fill(buffer, Fill);
        if (Length >= 4)
            BinaryPrimitives.WriteUInt32LittleEndian(buffer, Argsz);
        var before = (byte[])buffer.Clone();
        var errno = container.GetInfo(buffer);
        int untouchedFrom = errno == Errno.Ok ? (int)Math.Min(Argsz, (uint)Length) : 0;
        for (int i = untouchedFrom; i < Length; i++)
        {
            if (buffer[i] != before[i])
                throw new Divergence($"GET_INFO ({errno}, argsz {Argsz}) wrote byte {i} of a {Length}-byte buffer");
        }

        return $"{errno} {Convert.ToHexString(buffer).ToLowerInvariant()}";
    }

    public override IEnumerable<Op<IVfioContainer>> Shrink() =>
        Shrinks.U64(Argsz).Select(argsz => this with { Argsz = (uint)argsz, Length = Math.Max((int)argsz, Math.Min(Length, 16)) })
            .Concat(Length > Argsz ? [this with { Length = (int)Argsz }] : []);

    public override string ToString() => $"GetInfo(argsz {Argsz}, buffer {Length} bytes)";
}

public sealed record PrepareMsiOp(ulong Doorbell) : ContainerOp
{
    public override string Apply(IVfioContainer container)
    {
        var errno = container.PrepareMsi(Doorbell, out ulong iova);
        return errno == Errno.Ok ? $"Ok msi iova 0x{iova:x}" : errno.ToString();
    }

    public override string ToString() => $"PrepareMsi(doorbell 0x{Doorbell:x})";
}

public sealed record TranslateIovaOp(ulong Iova) : ContainerOp
{
    public override string Apply(IVfioContainer container) => ContainerProbe.Describe(container, Iova);

    public override IEnumerable<Op<IVfioContainer>> Shrink() => Shrinks.U64(Iova).Select(iova => this with { Iova = iova });

    public override string ToString() => $"Translate(0x{Iova:x})";
}

public sealed record UnsafeInterruptsOp(bool Allow) : ContainerOp
{
    public override string Apply(IVfioContainer container)
    {
        container.AllowUnsafeInterrupts = Allow;
        return "set";
    }

    public override string ToString() => $"allow_unsafe_interrupts = {Allow}";
}

/// <summary>One translation through a container, as text both sides must agree on.</summary>
public static class ContainerProbe
{
    public static string Describe(IVfioContainer container, ulong iova) =>
        container.Translate(iova, out ulong phys, out var prot) ? $"0x{iova:x} -> 0x{phys:x} {prot}" : $"0x{iova:x} faults";
}
