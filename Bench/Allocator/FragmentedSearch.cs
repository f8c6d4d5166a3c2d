using BenchmarkDotNet.Attributes;
using Harness.Implementation;
using Harness.Model;

namespace Harness.Bench.Allocator;

/// <summary>A 2-pfn alloc+free that must skip n one-pfn holes: flat in n for the gap-annotated tree.</summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class FragmentedSearch
{
    private IIovaAllocator allocator = null!;

    [Params(1_000, 10_000, 100_000, 1_000_000)]
    public int Holes { get; set; }

    [GlobalSetup]
    public void Setup() =>
        allocator = FragmentedSpace.Build(new IovaAllocator(new IovaDomain(0x1000, 1), AllocPolicy.TopDown), Holes);

    [Benchmark]
    public void AllocFreeBelowHoles() => FragmentedSpace.AllocFreeBelowHoles(allocator);
}

/// <summary>The same search, implementation against the model.</summary>
[SimpleJob(warmupCount: 2, iterationCount: 8)]
public class FragmentedSearchVsModel
{
    private IIovaAllocator model = null!;
    private IIovaAllocator implementation = null!;

    [Params(1_000, 10_000)]
    public int Holes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var domain = new IovaDomain(0x1000, 1);
        model = FragmentedSpace.Build(new ModelIovaAllocator(domain, AllocPolicy.TopDown), Holes);
        implementation = FragmentedSpace.Build(new IovaAllocator(domain, AllocPolicy.TopDown), Holes);
    }

    [Benchmark(Baseline = true)]
    public void Model() => FragmentedSpace.AllocFreeBelowHoles(model);

    [Benchmark]
    public void Implementation() => FragmentedSpace.AllocFreeBelowHoles(implementation);
}
