using Harness.Model;

namespace Harness.Bench.PageTable;

/// <summary>1 GiB at IOVA 1G, mapped as 4K pages (phys misaligned for blocks) or as 2M blocks (phys 2M-aligned, not 1G).</summary>
public static class GiBMapping
{
    public const ulong Iova = 1UL << 30;
    public const ulong Size = 1UL << 30;
    public const IommuProt Prot = IommuProt.Read | IommuProt.Write;

    public static ulong Phys(bool blocks) => blocks ? 0x20_0000UL : 0x1000UL;

    public static IIoPageTable Mapped(IIoPageTable table, bool blocks)
    {
        if (table.Map(Iova, Phys(blocks), Size, Prot) != Errno.Ok)
            throw new InvalidOperationException("benchmark mapping failed");
        return table;
    }

    /// <summary>Random addresses inside the mapping.</summary>
    public static ulong[] Addresses(int count)
    {
        var random = new Random(Workload.Seed);
        return Enumerable.Range(0, count).Select(_ => Iova + (ulong)random.NextInt64((long)Size)).ToArray();
    }
}
