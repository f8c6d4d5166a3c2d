using Harness.Model;
using Harness.Properties;

namespace Harness.Fuzz;

/// <summary>
/// VFIO type1 container calls (docs/SPEC.md §2–§4): groups from the reference platforms, or one
/// reshaped (another aperture, other page sizes, one more region touching or overlapping its
/// own); maps and unmaps at the edges of the valid ranges and of the live mappings; GET_INFO at
/// every argsz boundary; doorbells; translations at every edge the model knows. Every run is
/// under <paramref name="profile"/>, with one of its type1 layouts, or with <paramref name="ioas"/>
/// on iommufd's compat IOAS.
/// </summary>
public sealed class ContainerDecoder(KernelProfile profile, bool ioas = false) : IOpDecoder<IVfioContainer, ContainerSetup>
{
    private readonly IReadOnlyList<InfoLayout> layouts = ioas ? [InfoLayout.IommufdCompat] : profile.Type1Layouts;

    private const int MaxAnchors = 16;
    private const ulong Page = Vfio.PageSize;

    private static readonly ResvType[] Types = Enum.GetValues<ResvType>();
    private static readonly uint[] SmallArgsz = [0, 8, 15, 16, 17, 19, 20, 23, 24];
    private static readonly int[] Slack = [0, 8, 32, -1, -8, -20];

    public ContainerSetup Setup(OpRecord record) =>
        new(record.Pick(0, layouts), record[1] < 224 ? Vfio.DefaultDmaEntryLimit : (uint)(record[1] % 4), record[2] == 0xff, profile.Name);

    public Op<IVfioContainer> Call(OpRecord record, ContainerSetup setup, IVfioContainer model)
    {
        var state = model.State;
        ulong pgsize = state.IovaPgsizes == 0 ? Page : IovaPgsizes.MinPageSize(state.IovaPgsizes);
        return record.Kind(18) switch
        {
            < 2 => new AttachOp(Group(record)),
            2 => new DetachOp(1 + (record[1] % 4)),
            < 9 => MapDma(record, state, pgsize),
            < 12 => UnmapDma(record, state, pgsize),
            < 14 => GetInfo(record, model),
            14 => new PrepareMsiOp(record[1] < 192 ? record.Pick(1, ContainerSpec.Doorbells) : record.Landmark(2)),
            < 17 => new TranslateIovaOp(Probe(record, state)),
            _ => new UnsafeInterruptsOp((record[1] & 1) != 0),
        };
    }

    /// <summary>A reference platform's group as is, or reshaped by bytes 3–7; byte 2 also says whether it shares IOMMU domain 1 or 2.</summary>
    private static IommuGroup Group(OpRecord record)
    {
        int id = 1 + (record[1] % 4);
        var platform = record.Pick(3, ReferencePlatform.All).Group(id) with { Domain = (record[2] / 5 % 3) switch { 0 => null, int d => d } };
        if (record[2] % 5 != 4)
            return platform;

        ulong start = record[6] < 128 || platform.ResvRegions.Count == 0
            ? record.Pick(6, Edges.Landmarks) & ~(Page - 1)
            : record[6] % 2 == 0 ? record.Pick(6, platform.ResvRegions).Last + 1 : record.Pick(6, platform.ResvRegions).Start;
        ulong pages = 1 + (ulong)(record[7] & 0x1f);
        var range = start + (pages * Page) - 1 < start ? new IovaRange(start, ulong.MaxValue) : IovaRange.FromSize(start, pages * Page);
        var type = Types[(record[7] >> 5) % Types.Length];
        var prot = type == ResvType.SwMsi ? IommuProt.Write | IommuProt.NoExec | IommuProt.Mmio : IommuProt.None;
        return platform with
        {
            Aperture = record.Pick(4, GroupGen.Apertures),
            PgsizeBitmap = record.Pick(5, GroupGen.Pgsizes),
            ResvRegions = [.. platform.ResvRegions, new ResvRegion(range, prot, type)],
            MsiIsolated = (record[3] & 0x1c) != 0,
        };
    }

    /// <summary>Bytes 1–2: the first or last page of a valid range, or either end of a mapping, moved by whole pages; 3: pages; 4–5: vaddr; 6: flags; 7: misalignment.</summary>
    private static MapDmaOp MapDma(OpRecord record, ContainerState state, ulong pgsize)
    {
        var anchors = state.ValidIovas.Take(MaxAnchors).SelectMany(r => new[] { AlignUp(r.Start, pgsize), (r.Last - pgsize + 1) & ~(pgsize - 1) })
            .Concat(state.Mappings.Take(MaxAnchors).SelectMany(m => new[] { m.Iova, m.Range.Last + 1 }))
            .Append(record.Landmark(1) & ~(pgsize - 1))
            .ToList();
        ulong iova = record.Near(2, record.Pick(1, anchors), pgsize);
        ulong pages = record[3] < 224 ? 1 + (ulong)(record[3] % 4) : record.Pick(3, [0UL, 0x200UL, 1UL << 32]);
        var flags = record[6] < 200 ? record.Pick(6, ContainerSpec.MapFlags) : record.Pick(6, ContainerSpec.BadMapFlags);
        ulong misalign = record[7] < 240 ? 0 : record.Pick(7, [0x800UL, 0x1000UL]);
        return new MapDmaOp(iova + misalign, pages * pgsize, record.U16(4) * pgsize, flags);
    }

    /// <summary>Byte 5 chooses: everything, the last page of the space, exactly a mapping, a page more or less, a window over it, or bytes 1–4 as iova, pages and flags.</summary>
    private static UnmapDmaOp UnmapDma(OpRecord record, ContainerState state, ulong pgsize)
    {
        int mode = record[5] % 8;
        if (state.Mappings.Count == 0 && mode is >= 2 and <= 6)
            mode = 7;
        var mapping = state.Mappings.Count == 0 ? default : record.Pick(1, state.Mappings);
        return mode switch
        {
            0 => new UnmapDmaOp(0, 0, DmaUnmapFlags.All),
            1 => new UnmapDmaOp(ulong.MaxValue - pgsize + 1, pgsize, DmaUnmapFlags.None),
            < 5 => new UnmapDmaOp(mapping.Iova, mapping.Size, DmaUnmapFlags.None),
            5 => new UnmapDmaOp(mapping.Iova, mapping.Size > pgsize ? mapping.Size - pgsize : mapping.Size + pgsize, DmaUnmapFlags.None),
            6 => new UnmapDmaOp(mapping.Iova & ~((pgsize << 8) - 1), pgsize << 9, DmaUnmapFlags.None),
            _ => new UnmapDmaOp(record.Landmark(1) & ~(pgsize - 1), (ulong)record[3] * pgsize, record.Pick(4, ContainerSpec.UnmapFlags)),
        };
    }

    /// <summary>argsz at the header's field boundaries, around what the model asks for, or anywhere below 1 KiB; the buffer a little longer or shorter.</summary>
    private static GetInfoOp GetInfo(OpRecord record, IVfioContainer model)
    {
        uint argsz = record[1] switch
        {
            < 96 => record.Pick(2, SmallArgsz),
            < 224 => (uint)Math.Max(0, (int)ContainerSpec.Needed(model) + (sbyte)record[2]),
            _ => (uint)(record.U16(2) % 1024),
        };
        return new GetInfoOp(argsz, Math.Max(0, (int)argsz + record.Pick(4, Slack)));
    }

    /// <summary>An edge of a mapping, a doorbell page or a valid range, nudged by a few bytes; or a landmark.</summary>
    private static ulong Probe(OpRecord record, ContainerState state)
    {
        var probes = ContainerSpec.ProbeAddresses(state)
            .Concat(state.ValidIovas.Take(MaxAnchors).SelectMany(r => new[] { r.Start, r.Last }))
            .Append(record.Landmark(3))
            .ToList();
        return record.Near(2, record.Pick(1, probes), 1);
    }

    private static ulong AlignUp(ulong value, ulong align) => (value + align - 1) & ~(align - 1);
}
