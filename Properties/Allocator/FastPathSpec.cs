using FsCheck;
using FsCheck.Fluent;
using Harness.Model;

namespace Harness.Properties;

/// <summary>
/// iova.c's fast path against the model's rcache (docs/SPEC.md §5): every answer identical, the
/// tree's allocations (ranges parked in a magazine included) identical after every call. Domains
/// start at pfn 1 or above, as the DMA API's do; sizes are mostly cacheable, often the same one
/// in bursts long enough to fill both magazines and reach the depot (v6.1's full depot takes
/// 4,318 frees of one size).
/// </summary>
public sealed class FastPathSpec(KernelProfile profile) : MachineSpec<FastPathSession, AllocatorSetup>
{
    public override Gen<AllocatorSetup> Setups { get; } =
        from granule in Gen.Frequency([(8, Gen.Constant(0x1000UL)), (1, Gen.Constant(0x10000UL))])
        from start in Gen.Frequency([(4, Gen.Constant(1UL)), (2, Gen.Choose(2, 0x40).Select(v => (ulong)v)), (1, Gen.Constant(0xfff00UL))])
        select new AllocatorSetup(granule, start, profile.Name);

    public override IEnumerable<AllocatorSetup> ShrinkSetup(AllocatorSetup setup) =>
        (setup.Granule != 0x1000 ? [setup with { Granule = 0x1000 }] : Enumerable.Empty<AllocatorSetup>())
            .Concat(setup.StartPfn != 1 ? [setup with { StartPfn = 1 }] : []);

    public override FastPathSession CreateModel(AllocatorSetup setup) => new(new ModelIovaRcache(setup.Domain, setup.Kernel.Rcache));

    public override FastPathSession Clone(FastPathSession model) => model.Clone();

    public override Gen<Op<FastPathSession>> Next(AllocatorSetup setup, FastPathSession model)
    {
        var size = Gen.Frequency([
            (6, Gen.Elements(1UL, 2UL, 3UL, 4UL, 8UL, 16UL, 31UL, 32UL)),
            (2, Gen.Choose(1, 64).Select(v => (ulong)v)),
            (1, Gen.Choose(65, 1024).Select(v => (ulong)v))]);
        var limit = Gen.Frequency([
            (4, Gen.Constant(0xfffffUL)),
            (2, Gen.Constant(ulong.MaxValue)),
            (3, Edges.UpTo(0x200).Select(d => setup.StartPfn + d)),
            (1, Edges.Any)]);
        var burst = Gen.Frequency([(6, Gen.Choose(2, 300)), (2, Gen.Choose(254, 400)), (1, Gen.Choose(4300, 4400))]);
        return Gen.Frequency([
            (5, from s in size from l in limit from flush in Gen.Frequency([(4, Gen.Constant(true)), (1, Gen.Constant(false))]) select (Op<FastPathSession>)new AllocFastOp(s, l, flush)),
            (3, Gen.Choose(0, 64).Select(i => (Op<FastPathSession>)new FreeFastOp(i))),
            (2, from n in burst from s in size from l in limit select (Op<FastPathSession>)new AllocBurstOp(n, s, l)),
            (2, Gen.Frequency([(3, burst), (1, Gen.Constant(FreeBurstOp.All))]).Select(n => (Op<FastPathSession>)new FreeBurstOp(n))),
            (1, from lo in Edges.UpTo(0x200).Select(d => setup.StartPfn + d) from n in Edges.UpTo(16) select (Op<FastPathSession>)new FastReserveOp(lo, lo + n))]);
    }

    public override void Compare(FastPathSession model, FastPathSession implementation, Op<FastPathSession> op)
    {
        var expected = model.Allocator.Allocations.ToList();
        var actual = implementation.Allocator.Allocations.ToList();
        if (!expected.SequenceEqual(actual))
            throw new Divergence("the tree's allocations differ", Describe(expected), Describe(actual));
    }

    private static string Describe(List<IovaRange> ranges) =>
        ranges.Count <= 12 ? $"[{string.Join(", ", ranges)}]" : $"{ranges.Count} ranges [{string.Join(", ", ranges.Take(6))}, …, {string.Join(", ", ranges.TakeLast(3))}]";
}
