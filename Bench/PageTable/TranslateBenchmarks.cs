using BenchmarkDotNet.Attributes;
using Harness.Implementation;
using Harness.Model;

namespace Harness.Bench.PageTable;

/// <summary>Translate at random addresses over 1 GiB mapped as 4K pages or 2M blocks; per lookup.</summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class TranslateBenchmarks
{
    private const int Lookups = 4096;
    private IIoPageTable model = null!;
    private IIoPageTable implementation = null!;
    private ulong[] addresses = null!;

    [Params(false, true)]
    public bool Blocks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var config = new IoPgtableConfig(IoPgtableConfig.Size4K, 48);
        model = GiBMapping.Mapped(new ModelPageTable(config), Blocks);
        implementation = GiBMapping.Mapped(new IoPageTable(config), Blocks);
        addresses = GiBMapping.Addresses(Lookups);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Lookups)]
    public ulong Model() => TranslateAll(model);

    [Benchmark(OperationsPerInvoke = Lookups)]
    public ulong Implementation() => TranslateAll(implementation);

    private ulong TranslateAll(IIoPageTable table)
    {
        ulong sum = 0;
        foreach (ulong iova in addresses)
        {
            table.Translate(iova, out ulong phys, out _);
            sum += phys;
        }

        return sum;
    }
}
