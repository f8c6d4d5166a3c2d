using BenchmarkDotNet.Attributes;
using Harness.Implementation;
using Harness.Model;

namespace Harness.Bench.Allocator;

/// <summary>
/// Alloc+free steps from 10^3 to 10^6 live ranges: the cost should grow with log n. The allocator
/// is the ideal profile's, with or without the rcache, or the Linux profiles' iova.c placement.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class AllocFreeScaling
{
    private AllocFreeSteps steps = null!;

    [Params(1_000, 10_000, 100_000, 1_000_000)]
    public int LiveRanges { get; set; }

    [Params(Step.Pair, Step.Churn)]
    public Step Step { get; set; }

    [Params("linux", "ideal", "ideal+rcache")]
    public string Allocator { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var domain = new IovaDomain(0x1000, 1);
        steps = new AllocFreeSteps(
            Allocator == "linux" ? new LinuxIovaAllocator(domain) : new IovaAllocator(domain, AllocPolicy.TopDown, useRcache: Allocator == "ideal+rcache"),
            LiveRanges);
    }

    [Benchmark(OperationsPerInvoke = AllocFreeSteps.StepsPerInvoke)]
    public void AllocFree() => steps.Run(Step);
}
