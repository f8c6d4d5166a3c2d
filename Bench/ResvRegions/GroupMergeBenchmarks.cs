using BenchmarkDotNet.Attributes;
using Harness.Implementation;
using Harness.Model;

namespace Harness.Bench.ResvRegions;

/// <summary>
/// A group's reserved-region list from N device regions (random starts below 2^40, lengths up to
/// 1 MiB, the five types), as <c>harness resv</c> builds it: the kernel's one-at-a-time insertion
/// (the model, quadratic) against <see cref="ResvRegionUnion"/>'s sort and sweep.
/// </summary>
[SimpleJob(warmupCount: 2, iterationCount: 8)]
public class GroupMergeBenchmarks
{
    private ResvRegion[] regions = [];

    [Params(100, 1_000, 10_000)]
    public int Regions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        regions = Enumerable.Range(0, Regions).Select(_ =>
        {
            ulong start = (ulong)random.NextInt64(1L << 40) & ~0xfffUL;
            return new ResvRegion(IovaRange.FromSize(start, (ulong)random.Next(1, 1 << 20)), IommuProt.None, (ResvType)random.Next(5));
        }).ToArray();
    }

    [Benchmark(Baseline = true)]
    public int Insertion() => ResvRegionMerge.Merge(regions).Count;

    [Benchmark]
    public int Union() => ResvRegionUnion.Merge(regions).Count;
}
