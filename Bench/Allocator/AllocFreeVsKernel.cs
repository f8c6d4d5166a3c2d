using BenchmarkDotNet.Attributes;
using Harness.Implementation;
using Harness.Model;

namespace Harness.Bench.Allocator;

/// <summary>
/// The Linux profile's allocator against the kernel's own iova.c (built from a Linux source,
/// loaded into this process through the native ABI): the same placements, the same workload, the
/// same run. Pair is iova.c's cached-node fast path; Churn frees older ranges above the cached
/// node, so iova.c walks the tree linearly. Stops at 10^5 live ranges: beyond, setting iova.c up
/// for Churn alone takes tens of minutes.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class AllocFreeVsKernel
{
    private AllocFreeSteps kernel = null!;
    private AllocFreeSteps linux = null!;

    [Params(1_000, 10_000, 100_000)]
    public int LiveRanges { get; set; }

    [Params(Step.Pair, Step.Churn)]
    public Step Step { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var domain = new IovaDomain(0x1000, 1);
        kernel = new AllocFreeSteps(KernelLibrary.Iova(domain), LiveRanges);
        linux = new AllocFreeSteps(new LinuxIovaAllocator(domain), LiveRanges);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = AllocFreeSteps.StepsPerInvoke)]
    public void IovaC() => kernel.Run(Step);

    [Benchmark(OperationsPerInvoke = AllocFreeSteps.StepsPerInvoke)]
    public void Linux() => linux.Run(Step);
}
