using BenchmarkDotNet.Attributes;
using Harness.Implementation;
using Harness.Model;

namespace Harness.Bench.PageTable;

/// <summary>
/// Under linux-6.12's rules, map then unmap a range through iommu_map's run splitting over
/// io-pgtable-arm: the model's table, the implementation's (<see cref="ArmLpaePgtable"/>) and the
/// kernel's own io-pgtable-arm.c, in the same run. 4K granule, 48-bit input and output; as 4K
/// pages (phys a page off a block) or as 2M blocks.
/// </summary>
[SimpleJob(warmupCount: 2, iterationCount: 8)]
public class ArmMapUnmapVsKernel
{
    private static readonly IoPgtableConfig Config = new(IoPgtableConfig.Size4K, 48, oas: 48);
    private IIoPageTable model = null!;
    private IIoPageTable implementation = null!;
    private IIoPageTable kernel = null!;

    /// <summary>The bytes mapped: 2 MiB or 64 MiB.</summary>
    [Params(0x20_0000UL, 0x400_0000UL)]
    public ulong Size { get; set; }

    [Params(false, true)]
    public bool Blocks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var profile = KernelProfiles.Linux612;
        model = profile.CreatePageTable(Config);
        implementation = IoPageTables.Create(Config, profile);
        kernel = KernelLibrary.PageTable(Config, new ArmLpaeFormat(Config).PgsizeBitmap);
    }

    [Benchmark(Baseline = true)]
    public ulong Model() => MapUnmap(model);

    [Benchmark]
    public ulong Implementation() => MapUnmap(implementation);

    [Benchmark]
    public ulong Kernel() => MapUnmap(kernel);

    private ulong MapUnmap(IIoPageTable table)
    {
        if (table.Map(GiBMapping.Iova, GiBMapping.Phys(Blocks), Size, GiBMapping.Prot) != Errno.Ok)
            throw new InvalidOperationException("benchmark mapping failed");
        return table.Unmap(GiBMapping.Iova, Size);
    }
}
