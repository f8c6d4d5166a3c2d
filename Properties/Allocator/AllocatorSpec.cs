using FsCheck;
using FsCheck.Fluent;
using Harness.Model;

namespace Harness.Properties;

/// <summary>
/// The allocator against the model for one policy (docs/SPEC.md §5): every answer identical, the live
/// allocations identical after every call. Domains start at 0, 1, a little above, or near the
/// top; limits sit at 2^64 - 1, the 32-bit line, just above the start, or near what is allocated.
/// </summary>
/// <param name="deepOneIn">One case in this many is a deep run (grow, drain, refill).</param>
public sealed class AllocatorSpec(AllocPolicy policy, KernelProfile profile, int deepOneIn = AllocatorSpec.DeepOneIn) : MachineSpec<IIovaAllocator, AllocatorSetup>
{
    /// <summary>Deep runs of a plain allocator: the fixed-seed CI budget reaches every tree event at this rate, not at one in ten.</summary>
    public const int DeepOneIn = 6;

    public AllocPolicy Policy { get; } = policy;

    public override Gen<AllocatorSetup> Setups { get; } =
        from granule in Gen.Frequency([(8, Gen.Constant(0x1000UL)), (1, Gen.Constant(0x10000UL)), (1, Gen.Constant(0x800UL))])
        from start in Gen.Frequency([
            (3, Gen.Elements(0UL, 1UL, 2UL)),
            (2, Edges.UpTo(0x40)),
            (1, Gen.Elements(0xfffffUL, 0x100000UL, ulong.MaxValue - 0x40))])
        from deep in Gen.Frequency([(deepOneIn - 1, Gen.Constant(false)), (1, Gen.Constant(true))])
        select new AllocatorSetup(granule, start, profile.Name, deep);

    public override IEnumerable<AllocatorSetup> ShrinkSetup(AllocatorSetup setup) =>
        (setup.Deep ? [setup with { Deep = false }] : Enumerable.Empty<AllocatorSetup>())
            .Concat(setup.Granule != 0x1000 ? [setup with { Granule = 0x1000 }] : [])
            .Concat(Shrinks.U64(setup.StartPfn).Select(start => setup with { StartPfn = start }));

    public override IIovaAllocator CreateModel(AllocatorSetup setup) => ModelAllocators.Create(setup.Domain, Policy, setup.Kernel);

    public override IIovaAllocator Clone(IIovaAllocator model) => ModelAllocators.Clone(model);

    public override Gen<Op<IIovaAllocator>> Next(AllocatorSetup setup, IIovaAllocator model) =>
        AllocatorGen.Next(setup, model.Allocations.ToList(), withFreeNth: false);

    public override void Compare(IIovaAllocator model, IIovaAllocator implementation, Op<IIovaAllocator> op)
    {
        var expected = model.Allocations.ToList();
        var actual = implementation.Allocations.ToList();
        if (!expected.SequenceEqual(actual))
            throw new Divergence("live allocations differ", Describe(expected), Describe(actual));
    }

    private static string Describe(List<IovaRange> ranges) => $"[{string.Join(", ", ranges)}]";
}

/// <summary>
/// Allocator calls biased to the edges of a domain and to what is already allocated, and
/// reservations that leave free only the last pfns below iommufd's top page, where an alignment
/// can wrap.
/// </summary>
public static class AllocatorGen
{
    /// <summary>
    /// The next call. With <paramref name="rcacheFloor"/> (the domain's lowest pfn, for an
    /// allocator with an rcache), deep runs also fill the domain from there with one size class,
    /// thousands deep, and drain it whole: the frees push magazines into the depot and past it, the
    /// allocations after pop them, and the domain the parked ranges fill needs a flush to reuse.
    /// </summary>
    public static Gen<Op<IIovaAllocator>> Next(AllocatorSetup setup, List<IovaRange> live, bool withFreeNth, ulong? rcacheFloor = null)
    {
        var pfn = live.Count == 0
            ? Pfn(setup)
            : Gen.Frequency([(3, Gen.Elements(live.ToArray()).SelectMany(a => Gen.Elements(a.Start, a.Last, a.Start + 1))), (1, Pfn(setup))]);
        var alloc =
            from size in Gen.Frequency([(6, Gen.Choose(1, 16).Select(v => (ulong)v)), (2, Gen.Choose(1, 1024).Select(v => (ulong)v)), (1, Edges.Count)])
            from limit in Limit(setup, live)
            from aligned in Gen.Frequency([(3, Gen.Constant(true)), (1, Gen.Constant(false))])
            select (Op<IIovaAllocator>)new AllocOp(size, limit, aligned);
        var reserve =
            from lo in pfn
            from length in Gen.Frequency([(4, Gen.Choose(0, 8).Select(v => (ulong)v)), (1, Edges.Any)])
            select (Op<IIovaAllocator>)new ReserveOp(lo, lo + length < lo ? ulong.MaxValue : lo + length);
        var belowTop =
            from lo in Edges.Near(setup.StartPfn, 1)
            from gap in Gen.Choose(0, 40)
            let hi = IoptAllocIova.HighestPfn(setup.Domain) - (ulong)gap
            select (Op<IIovaAllocator>)new ReserveOp(Math.Min(lo, hi), hi);
        var free = withFreeNth
            ? Gen.Choose(0, 64).Select(i => (Op<IIovaAllocator>)new FreeNthOp(i))
            : pfn.Select(p => (Op<IIovaAllocator>)new FreeOp(p));
        return Gen.Frequency([
            (5, alloc),
            (2, reserve),
            (setup.Deep ? 0 : 1, belowTop),
            (3, free),
            (1, pfn.Select(p => (Op<IIovaAllocator>)new FindOp(p))),
            (setup.Deep ? 2 : 0, Many(setup, live)),
            (setup.Deep && live.Count >= 8 ? 3 : 0, Drain(live)),
            (setup.Deep && rcacheFloor is not null && live.Count < 64 ? 2 : 0, DepotFill(rcacheFloor ?? 0)),
            (setup.Deep && rcacheFloor is not null && live.Count >= DepotFillCount ? 12 : 0, Gen.Constant<Op<IIovaAllocator>>(new FreeRangeOp(0, ulong.MaxValue)))]);
    }

    /// <summary>More ranges of one size class than both magazines and a full depot hold (2 × 127 + 32 × 127).</summary>
    private const int DepotFillCount = 4320;

    /// <summary>A domain filled from <paramref name="floor"/> up to a limit that leaves no room, by one size class.</summary>
    private static Gen<Op<IIovaAllocator>> DepotFill(ulong floor) =>
        from count in Gen.Choose(DepotFillCount, DepotFillCount + 100)
        from size in Gen.Frequency([(4, Gen.Constant(1UL)), (1, Gen.Elements(2UL, 4UL))])
        let start = (floor + size - 1) & ~(size - 1)
        select (Op<IIovaAllocator>)new AllocManyOp(count, size, start + ((ulong)count * size) - 1, SizeAligned: true);

    /// <summary>
    /// Tens to hundreds of allocations of one small size, growing the tree by levels (mostly below
    /// 2^64 - 1: iova.c's <c>limit_pfn + 1</c> makes that limit ENOMEM under Linux); or, below a
    /// live range, a refill of the holes a drain left, packing leaves full (where a later drain
    /// makes a neighbour borrow rather than merge).
    /// </summary>
    private static Gen<Op<IIovaAllocator>> Many(AllocatorSetup setup, List<IovaRange> live)
    {
        var grow =
            from count in Gen.Frequency([(10, Gen.Choose(16, 48)), (4, Gen.Choose(17, 32)), (live.Count < 64 ? 4 : 1, Gen.Choose(150, 300))])
            from size in Gen.Frequency([(4, Gen.Constant(1UL)), (2, Gen.Elements(2UL, 4UL, 8UL)), (1, Gen.Choose(1, 32).Select(v => (ulong)v))])
            from limit in Gen.Frequency([(2, Gen.Constant(ulong.MaxValue - 1)), (1, Gen.Constant(ulong.MaxValue)), (1, Limit(setup, live))])
            select (Op<IIovaAllocator>)new AllocManyOp(count, size, limit, SizeAligned: true);
        if (live.Count == 0)
            return grow;
        var refill =
            from count in Gen.Choose(16, 48)
            from size in Gen.Frequency([(3, Gen.Constant(1UL)), (1, Gen.Elements(2UL, 4UL))])
            from limit in Refill(live)
            select (Op<IIovaAllocator>)new AllocManyOp(count, size, limit, SizeAligned: true);
        return Gen.Frequency([(5, grow), (2, refill)]);
    }

    private static Gen<ulong> Refill(List<IovaRange> live) => Gen.Choose(0, live.Count - 1).Select(i => live[i].Last);

    /// <summary>Frees a run of neighbouring allocations (<see cref="Neighbours"/>), or all of them.</summary>
    private static Gen<Op<IIovaAllocator>> Drain(List<IovaRange> live) => Gen.Frequency(
    [
        (6, Neighbours.Span(live.Count).Select(s => (Op<IIovaAllocator>)new FreeRangeOp(live[s.First].Start, live[s.Last].Start))),
        (1, Gen.Constant<Op<IIovaAllocator>>(new FreeRangeOp(0, ulong.MaxValue))),
    ]);

    private static Gen<ulong> Pfn(AllocatorSetup setup) => Gen.Frequency([
        (3, Edges.Near(setup.StartPfn, 1)),
        (2, Edges.Any),
        (1, Gen.Elements(0xfffffUL, ulong.MaxValue))]);

    private static Gen<ulong> Limit(AllocatorSetup setup, List<IovaRange> live)
    {
        var nearStart = Edges.UpTo(64).Select(d => setup.StartPfn + d < setup.StartPfn ? ulong.MaxValue : setup.StartPfn + d);
        var choices = new List<(int, Gen<ulong>)>
        {
            (3, Gen.Constant(ulong.MaxValue)),
            (2, Gen.Constant(0xfffffUL)),
            (3, nearStart),
            (1, Edges.Any),
        };
        if (live.Count > 0)
            choices.Add((2, Gen.Elements(live.ToArray()).SelectMany(a => Edges.Near(a.Last, 1))));
        return Gen.Frequency(choices);
    }
}
