using BenchmarkDotNet.Attributes;
using Harness.Implementation;
using Harness.Model;

namespace Harness.Bench.Allocator;

/// <summary>Alloc+free steps, implementation against the model of the same profile, at sizes the model can finish.</summary>
[SimpleJob(warmupCount: 2, iterationCount: 8)]
public class AllocFreeVsModel
{
    private AllocFreeSteps model = null!;
    private AllocFreeSteps implementation = null!;

    [Params(1_000, 10_000)]
    public int LiveRanges { get; set; }

    [Params(Step.Pair)]
    public Step Step { get; set; }

    [Params("linux-6.18", "ideal")]
    public string Profile { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var domain = new IovaDomain(0x1000, 1);
        var profile = KernelProfiles.Named(Profile);
        model = new AllocFreeSteps(ModelAllocators.Create(domain, AllocPolicy.TopDown, profile), LiveRanges);
        implementation = new AllocFreeSteps(IovaAllocators.Create(domain, AllocPolicy.TopDown, profile), LiveRanges);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = AllocFreeSteps.StepsPerInvoke)]
    public void Model() => model.Run(Step);

    [Benchmark(OperationsPerInvoke = AllocFreeSteps.StepsPerInvoke)]
    public void Implementation() => implementation.Run(Step);
}
