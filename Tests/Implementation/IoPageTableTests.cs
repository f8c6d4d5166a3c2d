using Harness.Implementation;
using Harness.Model;
using Harness.Tests.Contracts;
using Xunit;

namespace Harness.Tests.Implementation;

public sealed class IoPageTableTests : PageTableContract
{
    protected override IIoPageTable Create(IoPgtableConfig config) => new CheckedPageTable(new IoPageTable(config));

    private static IoPageTable Table4K() => new(new IoPgtableConfig(IoPgtableConfig.Size4K, 48));

    [Fact]
    public void Map_uses_the_largest_pages_iommu_pgsize_allows()
    {
        var table = Table4K();
        Assert.Equal(Errno.Ok, table.Map(0x3fe0_0000, 0x7fe0_0000, 0x4000_0000 + 0x40_0000 + 0x2000, RW));
        Assert.Equal(new Dictionary<ulong, int> { [0x1000] = 2, [0x20_0000] = 2, [0x4000_0000] = 1 }, table.LeafCounts());
        table.CheckInvariants();
    }

    [Fact]
    public void Phys_alignment_limits_the_page_size()
    {
        var table = Table4K();
        Assert.Equal(Errno.Ok, table.Map(0x20_0000, 0x1000, 0x20_0000, RW));
        Assert.Equal(new Dictionary<ulong, int> { [0x1000] = 512 }, table.LeafCounts());
    }

    [Fact]
    public void Unmapping_part_of_a_1G_block_splits_it_down_to_pages_only_where_needed()
    {
        var table = Table4K();
        Assert.Equal(Errno.Ok, table.Map(0x4000_0000, 0x4000_0000, 0x4000_0000, RW));
        Assert.Equal(0x1000UL, table.Unmap(0x4020_0000, 0x1000));
        Assert.Equal(new Dictionary<ulong, int> { [0x1000] = 511, [0x20_0000] = 511 }, table.LeafCounts());
        table.CheckInvariants();
    }

    [Fact]
    public void Unmapping_everything_returns_every_table_but_the_root()
    {
        var table = Table4K();
        Assert.Equal(Errno.Ok, table.Map(0x7f_0000_0000, 0x1000, 0x40_3000, RW));
        Assert.True(table.TablesInUse > 1);
        Assert.Equal(0x40_3000UL, table.Unmap(0x7f_0000_0000, 0x40_3000));
        Assert.Equal(1, table.TablesInUse);
        table.CheckInvariants();
    }

    [Fact]
    public void Tables_are_reused_after_being_reclaimed()
    {
        var table = Table4K();
        for (int round = 0; round < 100; round++)
        {
            Assert.Equal(Errno.Ok, table.Map((ulong)round << 30, 0, 0x3000, RW));
            Assert.Equal(0x3000UL, table.Unmap((ulong)round << 30, 0x3000));
        }

        Assert.Equal(1, table.TablesInUse);
        table.CheckInvariants();
    }

    [Fact]
    public void Software_blocks_map_a_huge_misaligned_range_with_few_descriptors()
    {
        var table = new IoPageTable(IoPgtableConfig.Container);
        Assert.Equal(Errno.Ok, table.Map(0x1000, 0x3000, 1UL << 62, RW));
        Assert.True(table.LeafCounts().Values.Sum() < 6 * 2 * 512);
        Assert.True(table.Translate(0x4000_0000_0000_0fff, out ulong phys, out _));
        Assert.Equal(0x4000_0000_0000_2fffUL, phys);
        Assert.Equal(1UL << 62, table.Unmap(0x1000, 1UL << 62));
        Assert.Equal(1, table.TablesInUse);
        table.CheckInvariants();
    }

    [Fact]
    public void A_software_block_with_an_unaligned_output_adds_the_offset()
    {
        var table = new IoPageTable(IoPgtableConfig.Container);
        Assert.Equal(Errno.Ok, table.Map(0, 0x1000, 0x20_0000, RW));
        Assert.True(table.Translate(0x1000, out ulong phys, out _));
        Assert.Equal(0x2000UL, phys);
        Assert.True(table.Translate(0x1f_ffff, out phys, out _));
        Assert.Equal(0x20_0fffUL, phys);
    }

    [Fact]
    public void The_container_geometry_has_a_leaf_size_at_every_level() =>
        Assert.Equal(0x1000UL | (1UL << 21) | (1UL << 30) | (1UL << 39) | (1UL << 48) | (1UL << 57), IoPgtableConfig.Container.PgsizeBitmap);

    /// <summary>Runs <see cref="IoPageTable.CheckInvariants"/> after every call.</summary>
    private sealed class CheckedPageTable(IoPageTable inner) : IIoPageTable
    {
        public IoPgtableConfig Config => inner.Config;

        public Errno Map(ulong iova, ulong phys, ulong size, IommuProt prot)
        {
            var result = inner.Map(iova, phys, size, prot);
            inner.CheckInvariants();
            return result;
        }

        public ulong Unmap(ulong iova, ulong size)
        {
            ulong result = inner.Unmap(iova, size);
            inner.CheckInvariants();
            return result;
        }

        public bool Translate(ulong iova, out ulong phys, out IommuProt prot) => inner.Translate(iova, out phys, out prot);
    }
}
