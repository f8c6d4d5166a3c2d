using BenchmarkDotNet.Attributes;
using Harness.Implementation;
using Harness.Model;

namespace Harness.Bench.Allocator;

/// <summary>
/// <see cref="AllocFreeVsKernel"/>'s pair at 10^6 live ranges, against the kernel's own iova.c in
/// the same run: the space scattered by freeing a random half of 2 × 10^6 allocations, then each
/// step allocates a random size and frees it, as the DMA API maps and unmaps.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class PairAtScale
{
    private AllocFreeSteps kernel = null!;
    private AllocFreeSteps linux = null!;

    [Params(1_000_000)]
    public int LiveRanges { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var domain = new IovaDomain(0x1000, 1);
        kernel = new AllocFreeSteps(KernelLibrary.Iova(domain), LiveRanges, scatterByFreeing: true);
        linux = new AllocFreeSteps(new LinuxIovaAllocator(domain), LiveRanges, scatterByFreeing: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = AllocFreeSteps.StepsPerInvoke)]
    public void IovaC() => kernel.Run(Step.Pair);

    [Benchmark(OperationsPerInvoke = AllocFreeSteps.StepsPerInvoke)]
    public void Linux() => linux.Run(Step.Pair);
}
