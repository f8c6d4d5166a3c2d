using System.Numerics;
using Harness.Model;
using Xunit;

namespace Harness.Tests.Contracts;

/// <summary>docs/SPEC.md §6, including the reference tests Linux runs on io-pgtable-arm.</summary>
public abstract class PageTableContract
{
    protected const IommuProt RW = IommuProt.Read | IommuProt.Write;

    protected abstract IIoPageTable Create(IoPgtableConfig config);

    public static TheoryData<ulong, int, bool> Configs() => new()
    {
        { IoPgtableConfig.Size4K, 48, false },
        { IoPgtableConfig.Size16K, 48, false },
        { IoPgtableConfig.Size64K, 52, false },
        { IoPgtableConfig.Size4K, 64, false },
        { IoPgtableConfig.Size4K, 39, false },
        { IoPgtableConfig.Size4K, 64, true },
        { IoPgtableConfig.Size16K, 48, true },
    };

    private static void AssertTranslates(IIoPageTable table, ulong iova, ulong phys)
    {
        Assert.True(table.Translate(iova, out ulong got, out _), $"0x{iova:x} faults");
        Assert.Equal(phys, got);
    }

    private static void AssertFaults(IIoPageTable table, ulong iova) =>
        Assert.False(table.Translate(iova, out _, out _), $"0x{iova:x} translates");

    [Theory, MemberData(nameof(Configs))]
    public void An_empty_table_translates_nothing(ulong granule, int ias, bool softwareBlocks)
    {
        var table = Create(new IoPgtableConfig(granule, ias, softwareBlocks));
        foreach (ulong iova in new ulong[] { 0, 42, granule, 1UL << 30, table.Config.IovaLast })
            AssertFaults(table, iova);
    }

    /// <summary>Each supported page size at its own k×1G (further apart for pages above 1 GiB), as the Linux selftest places them.</summary>
    private static IEnumerable<(ulong Iova, ulong Size)> EveryPageSize(IoPgtableConfig config)
    {
        ulong iova = 0;
        for (ulong sizes = config.PgsizeBitmap; sizes != 0; sizes &= sizes - 1)
        {
            ulong size = 1UL << BitOperations.TrailingZeroCount(sizes);
            yield return (iova, size);
            iova += Math.Max(1UL << 30, size);
        }
    }

    [Theory, MemberData(nameof(Configs))]
    public void Linux_selftest_every_page_size_at_k_GiB(ulong granule, int ias, bool softwareBlocks)
    {
        var table = Create(new IoPgtableConfig(granule, ias, softwareBlocks));
        foreach (var (iova, size) in EveryPageSize(table.Config))
        {
            Assert.Equal(Errno.Ok, table.Map(iova, iova, size, RW | IommuProt.NoExec | IommuProt.Cache));
            Assert.Equal(Errno.EEXIST, table.Map(iova, iova + size, size, IommuProt.Read | IommuProt.NoExec));
            AssertTranslates(table, iova + 42, iova + 42);
        }

        foreach (var (iova, size) in EveryPageSize(table.Config))
        {
            Assert.Equal(size, table.Unmap(iova, size));
            AssertFaults(table, iova + 42);
            Assert.Equal(Errno.Ok, table.Map(iova, iova, size, IommuProt.Write));
            AssertTranslates(table, iova + 42, iova + 42);
        }
    }

    [Theory, MemberData(nameof(Configs))]
    public void The_last_page_of_the_address_space_maps_and_unmaps(ulong granule, int ias, bool softwareBlocks)
    {
        var table = Create(new IoPgtableConfig(granule, ias, softwareBlocks));
        ulong last = table.Config.IovaLast - granule + 1;
        Assert.Equal(Errno.Ok, table.Map(last, granule, granule, RW));
        AssertTranslates(table, table.Config.IovaLast, (2 * granule) - 1);
        Assert.Equal(granule, table.Unmap(last, granule));
        AssertFaults(table, table.Config.IovaLast);
    }

    [Fact]
    public void Addresses_beyond_the_input_size_fault_even_when_their_low_bits_are_mapped()
    {
        var table = Create(new IoPgtableConfig(IoPgtableConfig.Size4K, 39));
        Assert.Equal(Errno.Ok, table.Map(0x7f_ffff_c000, 0, 0x1000, RW));
        AssertFaults(table, 0xae5a_8cff_ffff_c000);
        AssertFaults(table, 0x80_0000_0000 | 0x7f_ffff_c000);
    }

    [Fact]
    public void Translate_reports_the_prot()
    {
        var table = Create(new IoPgtableConfig(IoPgtableConfig.Size4K, 48));
        var prot = IommuProt.Write | IommuProt.Mmio | IommuProt.NoExec | IommuProt.Priv;
        Assert.Equal(Errno.Ok, table.Map(0x20_0000, 0x4000_0000, 0x20_0000, prot));
        Assert.True(table.Translate(0x20_1234, out ulong phys, out var got));
        Assert.Equal(0x4000_1234UL, phys);
        Assert.Equal(prot, got);
    }

    [Theory]
    [InlineData(0x1000UL, 0x1000UL, 0x1000UL, IommuProt.None, Errno.EINVAL)]
    [InlineData(0x1000UL, 0x1000UL, 0x1000UL, IommuProt.Read | (IommuProt)64, Errno.EINVAL)]
    [InlineData(0x1000UL, 0x1000UL, 0UL, RW, Errno.EINVAL)]
    [InlineData(0x1800UL, 0x1000UL, 0x1000UL, RW, Errno.EINVAL)]
    [InlineData(0x1000UL, 0x1800UL, 0x1000UL, RW, Errno.EINVAL)]
    [InlineData(0x1000UL, 0x1000UL, 0x1800UL, RW, Errno.EINVAL)]
    [InlineData(0xffff_ffff_f000UL, 0x1000UL, 0x2000UL, RW, Errno.ERANGE)]
    [InlineData(0x1_0000_0000_0000UL, 0x1000UL, 0x1000UL, RW, Errno.ERANGE)]
    [InlineData(0x1000UL, 0xffff_ffff_ffff_f000UL, 0x2000UL, RW, Errno.ERANGE)]
    public void Map_rejects_bad_prot_alignment_and_range(ulong iova, ulong phys, ulong size, IommuProt prot, Errno expected)
    {
        var table = Create(new IoPgtableConfig(IoPgtableConfig.Size4K, 48));
        Assert.Equal(expected, table.Map(iova, phys, size, prot));
        AssertFaults(table, iova & ~0xfffUL);
    }

    [Fact]
    public void Map_over_anything_mapped_is_EEXIST_and_rolls_back()
    {
        var table = Create(new IoPgtableConfig(IoPgtableConfig.Size4K, 48));
        Assert.Equal(Errno.Ok, table.Map(0x3f_f000, 0x3f_f000, 0x1000, RW));
        Assert.Equal(Errno.EEXIST, table.Map(0, 0x1000_0000, 0x40_0000, RW));
        AssertFaults(table, 0);
        AssertFaults(table, 0x20_0000);
        AssertTranslates(table, 0x3f_f000, 0x3f_f000);
    }

    [Fact]
    public void Unmapping_part_of_a_block_keeps_the_rest_translated()
    {
        var table = Create(new IoPgtableConfig(IoPgtableConfig.Size4K, 48));
        Assert.Equal(Errno.Ok, table.Map(0x4000_0000, 0x8000_0000, 0x4000_0000, RW));
        Assert.Equal(0x1000UL, table.Unmap(0x4020_1000, 0x1000));
        AssertFaults(table, 0x4020_1000);
        AssertTranslates(table, 0x4020_0fff, 0x8020_0fff);
        AssertTranslates(table, 0x4020_2000, 0x8020_2000);
        AssertTranslates(table, 0x4000_0000, 0x8000_0000);
        AssertTranslates(table, 0x7fff_ffff, 0xbfff_ffff);
        Assert.Equal(Errno.Ok, table.Map(0x4020_1000, 0x1000, 0x1000, IommuProt.Read));
        AssertTranslates(table, 0x4020_1000, 0x1000);
    }

    [Fact]
    public void Unmap_stops_at_the_first_unmapped_granule()
    {
        var table = Create(new IoPgtableConfig(IoPgtableConfig.Size4K, 48));
        Assert.Equal(Errno.Ok, table.Map(0, 0, 0x2000, RW));
        Assert.Equal(Errno.Ok, table.Map(0x3000, 0x3000, 0x1000, RW));
        Assert.Equal(0x2000UL, table.Unmap(0, 0x4000));
        AssertTranslates(table, 0x3000, 0x3000);
        Assert.Equal(0UL, table.Unmap(0, 0x1000));
    }

    [Theory]
    [InlineData(0x800UL, 0x1000UL)]
    [InlineData(0x1000UL, 0x800UL)]
    [InlineData(0x1000UL, 0UL)]
    [InlineData(0xffff_ffff_f000UL, 0x2000UL)]
    public void Unmap_of_a_bad_range_unmaps_nothing(ulong iova, ulong size)
    {
        var table = Create(new IoPgtableConfig(IoPgtableConfig.Size4K, 48));
        Assert.Equal(Errno.Ok, table.Map(0, 0, 0x10000, RW));
        Assert.Equal(Errno.Ok, table.Map(0xffff_ffff_f000, 0, 0x1000, RW));
        Assert.Equal(0UL, table.Unmap(iova, size));
        AssertTranslates(table, 0x1000, 0x1000);
        AssertTranslates(table, 0xffff_ffff_f000, 0);
    }

    [Fact]
    public void A_range_mixing_blocks_and_pages_translates_at_every_boundary()
    {
        var table = Create(new IoPgtableConfig(IoPgtableConfig.Size4K, 48));
        const ulong iova = 0x3fe0_0000, size = 0x4000_0000 + 0x40_0000 + 0x3000;
        Assert.Equal(Errno.Ok, table.Map(iova, iova + 0x1_0000_0000, size, RW));
        foreach (ulong offset in new ulong[] { 0, 0x1f_ffff, 0x20_0000, 0x4000_0000, 0x401f_ffff, 0x4020_0000, size - 1 })
            AssertTranslates(table, iova + offset, iova + 0x1_0000_0000 + offset);
        AssertFaults(table, iova + size);
        AssertFaults(table, iova - 1);
        Assert.Equal(size, table.Unmap(iova, size));
        AssertFaults(table, iova);
    }

    [Fact]
    public void Phys_aligned_differently_from_iova_still_translates()
    {
        var table = Create(new IoPgtableConfig(IoPgtableConfig.Size4K, 48));
        Assert.Equal(Errno.Ok, table.Map(0x20_0000, 0x1000, 0x40_0000, RW));
        AssertTranslates(table, 0x20_0000, 0x1000);
        AssertTranslates(table, 0x5f_ffff, 0x40_0fff);
    }
}
