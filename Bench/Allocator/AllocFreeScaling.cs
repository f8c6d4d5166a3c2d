using BenchmarkDotNet.Attributes;
using Harness.Implementation;
using Harness.Model;

namespace Harness.Bench.Allocator;

/// <summary>Alloc+free steps from 10^3 to 10^6 live ranges: the cost should grow with log n.</summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class AllocFreeScaling
{
    private AllocFreeSteps steps = null!;

    [Params(1_000, 10_000, 100_000, 1_000_000)]
    public int LiveRanges { get; set; }

    [Params(Step.Pair, Step.Churn)]
    public Step Step { get; set; }

    [Params(false, true)]
    public bool Rcache { get; set; }

    [GlobalSetup]
    public void Setup() =>
        steps = new AllocFreeSteps(new IovaAllocator(new IovaDomain(0x1000, 1), AllocPolicy.TopDown, Rcache), LiveRanges);

    [Benchmark(OperationsPerInvoke = AllocFreeSteps.StepsPerInvoke)]
    public void AllocFree() => steps.Run(Step);
}
