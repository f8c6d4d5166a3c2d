using BenchmarkDotNet.Attributes;
using Harness.Implementation;
using Harness.Model;

namespace Harness.Bench.PageTable;

/// <summary>Map then unmap 1 GiB, as 4K pages or 2M blocks.</summary>
[SimpleJob(warmupCount: 2, iterationCount: 8)]
public class MapUnmapBenchmarks
{
    private IIoPageTable model = null!;
    private IIoPageTable implementation = null!;

    [Params(false, true)]
    public bool Blocks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var config = new IoPgtableConfig(IoPgtableConfig.Size4K, 48);
        model = new ModelPageTable(config);
        implementation = new IoPageTable(config);
    }

    [Benchmark(Baseline = true)]
    public ulong Model() => MapUnmap(model);

    [Benchmark]
    public ulong Implementation() => MapUnmap(implementation);

    private ulong MapUnmap(IIoPageTable table)
    {
        GiBMapping.Mapped(table, Blocks);
        return table.Unmap(GiBMapping.Iova, GiBMapping.Size);
    }
}
