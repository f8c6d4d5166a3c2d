using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Harness.Model;

namespace Harness.Properties;

/// <summary>
/// The container against the model (docs/SPEC.md §2–§4): every errno, unmapped count, MSI IOVA and
/// GET_INFO byte identical; the whole observable state identical after every call; and
/// translations identical at both ends of every mapping and doorbell page. Calls aim at the
/// edges of the model's valid ranges; invalid calls are generated on purpose. With
/// <paramref name="ioas"/>, the container is iommufd's compat IOAS (under a profile that has one),
/// and mappings also come a half page short, which only a table without a domain, or with a
/// 2K domain, takes.
/// </summary>
public sealed class ContainerSpec(KernelProfile profile, bool ioas = false) : MachineSpec<IVfioContainer, ContainerSetup>
{
    private readonly IReadOnlyList<InfoLayout> layouts = Layouts(profile, ioas);

    private const ulong Page = Vfio.PageSize;
    private const int MaxProbed = 16;

    public static IReadOnlyList<ulong> Doorbells { get; } = [0x2f02_0040, 0x2f02_0ffc, 0x2f04_0000, 0xfee0_0000, 0x800_0000];

    /// <summary>The edge tables calls are drawn from, here and by the ops fuzz decoder.</summary>
    public static IReadOnlyList<DmaMapFlags> MapFlags { get; } = [DmaMapFlags.Read | DmaMapFlags.Write, DmaMapFlags.Read, DmaMapFlags.Write];

    public static IReadOnlyList<DmaMapFlags> BadMapFlags { get; } = [DmaMapFlags.None, DmaMapFlags.Vaddr | DmaMapFlags.Read, DmaMapFlags.Read | (DmaMapFlags)8];

    public static IReadOnlyList<DmaUnmapFlags> UnmapFlags { get; } = [DmaUnmapFlags.None, DmaUnmapFlags.All, DmaUnmapFlags.Vaddr, DmaUnmapFlags.All | DmaUnmapFlags.Vaddr, (DmaUnmapFlags)1];

    public override Gen<ContainerSetup> Setups { get; } =
        from layout in Gen.Elements<InfoLayout>(Layouts(profile, ioas))
        from limit in Gen.Frequency([(4, Gen.Constant(Vfio.DefaultDmaEntryLimit)), (1, Gen.Elements(0u, 1u, 2u, 3u))])
        from unsafeInterrupts in Gen.Frequency([(5, Gen.Constant(false)), (1, Gen.Constant(true))])
        from deep in Gen.Frequency([(7, Gen.Constant(false)), (1, Gen.Constant(true))])
        select new ContainerSetup(layout, limit, unsafeInterrupts, profile.Name, deep);

    private static IReadOnlyList<InfoLayout> Layouts(KernelProfile profile, bool ioas) => ioas ? [InfoLayout.IommufdCompat] : profile.Type1Layouts;

    public override IEnumerable<ContainerSetup> ShrinkSetup(ContainerSetup setup)
    {
        if (setup.Layout != layouts[0] && layouts.Contains(setup.Layout))
            yield return setup with { Layout = layouts[0] };
        if (setup.DmaEntryLimit != Vfio.DefaultDmaEntryLimit)
            yield return setup with { DmaEntryLimit = Vfio.DefaultDmaEntryLimit };
        if (setup.AllowUnsafeInterrupts)
            yield return setup with { AllowUnsafeInterrupts = false };
        if (setup.Deep)
            yield return setup with { Deep = false };
    }

    public override IVfioContainer CreateModel(ContainerSetup setup) => setup.Kernel.RunsIoas(setup.Layout)
        ? new ModelIoas { AllowUnsafeInterrupts = setup.AllowUnsafeInterrupts }
        : new ModelContainer(setup.Layout, setup.DmaEntryLimit, setup.Kernel.IovaList, setup.Kernel.FindDma, setup.Kernel.ResvMerge) { AllowUnsafeInterrupts = setup.AllowUnsafeInterrupts };

    /// <summary>The optimized container for a setup: type1's, or iommufd's compat IOAS.</summary>
    public static IVfioContainer CreateImplementation(ContainerSetup setup) => setup.Kernel.RunsIoas(setup.Layout)
        ? new Harness.Implementation.IoasContainer { AllowUnsafeInterrupts = setup.AllowUnsafeInterrupts }
        : new Harness.Implementation.VfioContainer(setup.Layout, setup.DmaEntryLimit, setup.Kernel.IovaList, setup.Kernel.FindDma, setup.Kernel.ResvMerge) { AllowUnsafeInterrupts = setup.AllowUnsafeInterrupts };

    public override IVfioContainer Clone(IVfioContainer model) => CloneModel(model);

    /// <summary>A snapshot of either model container.</summary>
    public static IVfioContainer CloneModel(IVfioContainer model) => model switch
    {
        ModelIoas ioasModel => ioasModel.Clone(),
        _ => ((ModelContainer)model).Clone(),
    };

    public override Gen<Op<IVfioContainer>> Next(ContainerSetup setup, IVfioContainer model)
    {
        var state = model.State;
        ulong pgsize = state.IovaPgsizes == 0 ? Page : IovaPgsizes.MinPageSize(state.IovaPgsizes);
        var choices = new List<(int, Gen<Op<IVfioContainer>>)>
        {
            (state.Groups.Count == 0 ? 8 : 2, Gen.Choose(1, 4).SelectMany(GroupGen.Group).Select(g => (Op<IVfioContainer>)new AttachOp(g))),
            (1, Gen.Choose(1, 4).Select(id => (Op<IVfioContainer>)new DetachOp(id))),
            (6, MapDma(state, pgsize)),
            (ioas ? 1 : 0, MapDma(state, pgsize).Select(op => op is MapDmaOp { Size: > 0x800 } map ? map with { Size = map.Size - 0x800 } : op)),
            (3, UnmapDma(state, pgsize)),
            (state.Mappings.Count > 0 ? 1 : 0, Vaddr(state, pgsize)),
            (2, GetInfo(model, shorterBuffers: true)),
            (state.MsiWindow is null ? 1 : 3, Gen.Frequency([(3, Gen.Elements<ulong>(Doorbells)), (1, Edges.Any)]).Select(d => (Op<IVfioContainer>)new PrepareMsiOp(d))),
            (2, Probe(state).Select(iova => (Op<IVfioContainer>)new TranslateIovaOp(iova))),
            (1, Gen.Elements(true, false).Select(allow => (Op<IVfioContainer>)new UnsafeInterruptsOp(allow))),
        };
        choices.AddRange(Deep(setup, state, pgsize));
        return Gen.Frequency(choices);
    }

    /// <summary>Mostly valid mappings at the edges of valid ranges (first page, last page, across the end), some invalid.</summary>
    internal static Gen<Op<IVfioContainer>> MapDma(ContainerState state, ulong pgsize)
    {
        var iova = state.ValidIovas.Count == 0
            ? Edges.Aligned(pgsize)
            : Gen.Elements(state.ValidIovas.ToArray()).SelectMany(range => Gen.Frequency(
            [
                (3, Gen.Constant(AlignUp(range.Start, pgsize))),
                (3, Gen.Choose(1, 3).Select(k => (range.Last - ((ulong)k * pgsize)) + 1 & ~(pgsize - 1))),
                (1, Gen.Constant(range.Last & ~(pgsize - 1))),
                (1, Edges.Aligned(pgsize)),
            ]));
        return
            from at in iova
            from pages in Gen.Frequency([(6, Gen.Choose(1, 4).Select(v => (ulong)v)), (1, Gen.Elements(0UL, 0x200UL, 0x1_0000_0000UL))])
            from vaddr in Gen.Frequency([(5, Gen.Choose(0, 0xffff).Select(v => (ulong)v * pgsize)), (1, Edges.Aligned(pgsize))])
            from flags in Gen.Frequency([(8, Gen.Elements<DmaMapFlags>(MapFlags)), (1, Gen.Elements<DmaMapFlags>(BadMapFlags))])
            from misalign in Gen.Frequency([(12, Gen.Constant(0UL)), (1, Gen.Elements(0x800UL, 0x1000UL))])
            select (Op<IVfioContainer>)new MapDmaOp(at + misalign, pages * pgsize, vaddr, flags);
    }

    /// <summary>
    /// In a deep run, where a container's mapping tree splits, merges and borrows: runs of tens to
    /// hundreds of side-by-side mappings (as many as a tree of two leaves holds, or more), and
    /// UNMAP_DMA over a span of neighbouring mappings (<see cref="Neighbours"/>), edge to edge so
    /// it takes them whole; a run from a live mapping refills the holes a span left, packing a leaf
    /// full beside one the next span empties. Other runs keep to single calls, at their speed.
    /// </summary>
    internal static IEnumerable<(int, Gen<Op<IVfioContainer>>)> Deep(ContainerSetup setup, ContainerState state, ulong pgsize)
    {
        if (!setup.Deep)
            yield break;
        var at = state.ValidIovas.Count == 0
            ? Edges.Aligned(pgsize)
            : Gen.Elements(state.ValidIovas.ToArray()).SelectMany(range => Gen.Frequency(
            [
                (3, Gen.Constant(AlignUp(range.Start, pgsize))),
                (1, Gen.Constant(AlignUp(range.Start, pgsize) + (16 * pgsize))),
                (1, Gen.Choose(0, 0xfff).Select(k => AlignUp(range.Start, pgsize) + ((ulong)k * pgsize))),
            ]));
        if (state.Mappings.Count > 0)
            at = Gen.Frequency([(1, at), (1, Gen.Elements(state.Mappings.ToArray()).Select(m => m.Iova))]);
        var runs =
            from iova in at
            from count in Gen.Frequency([(4, Gen.Choose(16, 48)), (2, Gen.Choose(17, 32)), (1, Gen.Choose(150, 300))])
            from pages in Gen.Frequency([(4, Gen.Constant(1UL)), (1, Gen.Choose(2, 4).Select(v => (ulong)v))])
            select (iova, count, size: pages * pgsize);
        yield return (2,
            from run in runs
            from vaddr in Gen.Choose(0, 0xffff).Select(v => (ulong)v * pgsize)
            select (Op<IVfioContainer>)new MapRunOp(run.count, run.iova, run.size, vaddr, DmaMapFlags.Read | DmaMapFlags.Write));
        if (state.Mappings is { Count: >= 8 } mappings)
        {
            yield return (4,
                from span in Neighbours.Span(mappings.Count)
                select (Op<IVfioContainer>)new UnmapDmaOp(mappings[span.First].Iova, mappings[span.Last].Range.Last - mappings[span.First].Iova + 1, DmaUnmapFlags.None));
        }

        foreach (var step in BorrowFromLeft(state.Mappings, pgsize))
            yield return step;
    }

    /// <summary>
    /// A leaf borrowing from its left neighbour needs that neighbour nearly full, which runs grown
    /// upward never leave (their leaves split into halves of 8), so it is set up on purpose: a run
    /// of 13 or more mappings that starts at least ten pages up gets six to eight mappings ending a
    /// page below it, which go into the front of the leaf holding its first eight and fill it to
    /// 14–16 (a run grown into empty space starts a leaf); then that run's ninth to thirteenth-to-
    /// fifteenth mappings are unmapped, emptying the next leaf beside the full one.
    /// </summary>
    private static IEnumerable<(int, Gen<Op<IVfioContainer>>)> BorrowFromLeft(IReadOnlyList<DmaMapping> mappings, ulong pgsize)
    {
        var lone = new List<int>();
        var filled = new List<int>();
        for (int i = 0, next; i < mappings.Count; i = next)
        {
            next = i + 1;
            while (next < mappings.Count && mappings[next - 1].Range.Last + 1 == mappings[next].Iova)
                next++;
            if (next - i < 13)
                continue;
            int below = BlockBelow(mappings, i, pgsize);
            if (below is >= 6 and <= 8)
                filled.Add(i);
            else if (below == 0 && mappings[i].Iova / pgsize > 9)
                lone.Add(i);
        }

        if (lone.Count > 0)
        {
            yield return (5,
                from start in Gen.Elements(lone.ToArray())
                from count in Gen.Choose(6, 8)
                from vaddr in Gen.Choose(0, 0xffff).Select(v => (ulong)v * pgsize)
                select (Op<IVfioContainer>)new MapRunOp(count, mappings[start].Iova - ((ulong)(count + 1) * pgsize), pgsize, vaddr, DmaMapFlags.Read | DmaMapFlags.Write));
        }

        if (filled.Count > 0)
        {
            yield return (8,
                from start in Gen.Elements(filled.ToArray())
                from length in Gen.Choose(5, 7)
                let last = mappings[Math.Min(start + 8 + length, mappings.Count) - 1]
                select (Op<IVfioContainer>)new UnmapDmaOp(mappings[start + 8].Iova, last.Range.Last - mappings[start + 8].Iova + 1, DmaUnmapFlags.None));
        }
    }

    /// <summary>How many mappings form the run that ends one page below mapping <paramref name="i"/> (0 if none does).</summary>
    private static int BlockBelow(IReadOnlyList<DmaMapping> mappings, int i, ulong pgsize)
    {
        if (i == 0 || mappings[i - 1].Range.Last + 1 + pgsize != mappings[i].Iova)
            return 0;
        int j = i - 1;
        while (j > 0 && mappings[j - 1].Range.Last + 1 == mappings[j].Iova)
            j--;
        return i - j;
    }

    /// <summary>Exactly one mapping, several, half of one (bisect), the last page of the space, ALL, or junk.</summary>
    internal static Gen<Op<IVfioContainer>> UnmapDma(ContainerState state, ulong pgsize)
    {
        var choices = new List<(int, Gen<Op<IVfioContainer>>)>
        {
            (1, Gen.Constant<Op<IVfioContainer>>(new UnmapDmaOp(0, 0, DmaUnmapFlags.All))),
            (1, Gen.Constant<Op<IVfioContainer>>(new UnmapDmaOp(ulong.MaxValue - pgsize + 1, pgsize, DmaUnmapFlags.None))),
            (1, from iova in Edges.Aligned(pgsize) from flags in Gen.Elements<DmaUnmapFlags>(UnmapFlags) select (Op<IVfioContainer>)new UnmapDmaOp(iova, pgsize, flags)),
        };
        if (state.Mappings.Count > 0)
        {
            var mapping = Gen.Elements(state.Mappings.ToArray());
            choices.Add((5, mapping.Select(m => (Op<IVfioContainer>)new UnmapDmaOp(m.Iova, m.Size, DmaUnmapFlags.None))));
            choices.Add((2, mapping.Select(m => (Op<IVfioContainer>)new UnmapDmaOp(m.Iova, m.Size > pgsize ? m.Size - pgsize : m.Size + pgsize, DmaUnmapFlags.None))));
            choices.Add((2, mapping.Select(m => (Op<IVfioContainer>)new UnmapDmaOp(m.Iova & ~((pgsize << 8) - 1), pgsize << 9, DmaUnmapFlags.None))));
        }

        return Gen.Frequency(choices);
    }

    /// <summary>The VADDR round trip on a live mapping: invalidate its vaddr, or set a new one (exactly, or off by a page).</summary>
    internal static Gen<Op<IVfioContainer>> Vaddr(ContainerState state, ulong pgsize) =>
        from m in Gen.Elements(state.Mappings.ToArray())
        from op in Gen.Frequency(
        [
            (3, Gen.Constant<Op<IVfioContainer>>(new UnmapDmaOp(m.Iova, m.Size, DmaUnmapFlags.Vaddr))),
            (3, Gen.Choose(0, 0xffff).Select(v => (Op<IVfioContainer>)new MapDmaOp(m.Iova, m.Size, (ulong)v * pgsize, DmaMapFlags.Vaddr))),
            (1, Gen.Constant<Op<IVfioContainer>>(new MapDmaOp(m.Iova, m.Size + pgsize, m.Vaddr, DmaMapFlags.Vaddr))),
            (1, Gen.Constant<Op<IVfioContainer>>(new MapDmaOp(m.Iova, m.Size, m.Vaddr, DmaMapFlags.Vaddr | DmaMapFlags.Read))),
        ])
        select op;

    /// <summary>argsz at every boundary of the answer: 0, 15, 16, 19, 20, 23, 24, one short, exact, one over; buffers sometimes shorter than argsz if asked.</summary>
    internal static Gen<Op<IVfioContainer>> GetInfo(IVfioContainer model, bool shorterBuffers)
    {
        uint needed = Needed(model);
        return
            from argsz in Gen.Frequency(
            [
                (3, Gen.Elements(0u, 8u, 15u, 16u, 17u, 19u, 20u, 23u, 24u)),
                (4, Gen.Elements(needed - 1, needed, needed + 1, needed + 8)),
                (1, Gen.Choose(0, 600).Select(v => (uint)v)),
            ])
            from slack in Gen.Frequency([(6, Gen.Elements(0, 8, 32)), (shorterBuffers ? 1 : 0, Gen.Elements(-1, -8, -20))])
            select (Op<IVfioContainer>)new GetInfoOp(argsz, Math.Max(0, (int)argsz + slack));
    }

    /// <summary>The argsz the model asks for (GET_INFO does not change a container, so asking is safe).</summary>
    public static uint Needed(IVfioContainer model)
    {
        var probe = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(probe, 16);
        return model.GetInfo(probe) == Errno.Ok ? BinaryPrimitives.ReadUInt32LittleEndian(probe) : 88;
    }

    private static Gen<ulong> Probe(ContainerState state)
    {
        var edges = ProbeAddresses(state).ToArray();
        return edges.Length == 0 ? Edges.Any : Gen.Frequency([(4, Gen.Elements(edges)), (1, Edges.Any)]);
    }

    /// <summary>Both ends of every mapping and doorbell page, and the addresses just outside them.</summary>
    public static IEnumerable<ulong> ProbeAddresses(ContainerState state) =>
        state.Mappings.Take(MaxProbed).SelectMany(m => new[] { m.Iova, m.Iova - 1, m.Range.Last, m.Range.Last + 1 })
            .Concat(state.MsiPages.Take(MaxProbed).SelectMany(p => new[] { p.Iova, p.Iova + Page - 1, p.Iova + Page }));

    public override void Compare(IVfioContainer model, IVfioContainer implementation, Op<IVfioContainer> op)
    {
        var expected = model.State;
        var actual = implementation.State;
        if (!expected.Equals(actual))
            throw new Divergence("container state differs", expected.ToString(), actual.ToString());
        foreach (ulong iova in ProbeAddresses(expected))
        {
            string want = ContainerProbe.Describe(model, iova);
            string got = ContainerProbe.Describe(implementation, iova);
            if (want != got)
                throw new Divergence("translation differs", want, got);
        }
    }

    private static ulong AlignUp(ulong value, ulong align) => (value + align - 1) & ~(align - 1);
}
