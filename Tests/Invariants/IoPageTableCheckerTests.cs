using Harness.Implementation;
using Harness.Model;
using Xunit;
using static Harness.Tests.Invariants.Surgery;

namespace Harness.Tests.Invariants;

/// <summary>Each check of <see cref="IoPageTable.CheckInvariants"/> fires on the one corruption it exists for.</summary>
public sealed class IoPageTableCheckerTests
{
    private const int EntriesPerTable = 512;
    private const ulong Size2M = 1UL << 21;

    /// <summary>
    /// A 48-bit Arm table (4K | 2M | 1G) holding a 4K page at 0 and a 2M block at 2M: the root
    /// is table 0, then table 1 (level 1), table 2 (level 2, the block at index 1), table 3
    /// (level 3, the page at index 0).
    /// </summary>
    private static IoPageTable Table()
    {
        var table = new IoPageTable(new IoPgtableConfig(IoPgtableConfig.Size4K, 48));
        Assert.Equal(Errno.Ok, table.Map(0, 0, IoPgtableConfig.Size4K, IommuProt.Read));
        Assert.Equal(Errno.Ok, table.Map(Size2M, Size2M, Size2M, IommuProt.Read | IommuProt.Write));
        Assert.Equal(4, table.TablesInUse);
        table.CheckInvariants();
        return table;
    }

    private static ref ulong Entry(IoPageTable table, int index, int slot) => ref Get<ulong[]>(table, "entries")[(index * EntriesPerTable) + slot];

    [Fact]
    public void A_pooled_table_still_referenced_is_caught()
    {
        var table = Table();
        Get<int[]>(table, "freeTables")[0] = 3;
        Set(table, "freeCount", 1);
        ExpectViolation(table.CheckInvariants, "a pooled table is still referenced, or pooled twice");
    }

    [Fact]
    public void A_table_pooled_twice_is_caught()
    {
        var table = Table();
        Set(table, "tablesAllocated", 6);
        Get<int[]>(table, "freeTables")[0] = 4;
        Get<int[]>(table, "freeTables")[1] = 4;
        Set(table, "freeCount", 2);
        ExpectViolation(table.CheckInvariants, "a pooled table is still referenced, or pooled twice");
    }

    [Fact]
    public void A_leaked_table_is_caught()
    {
        var table = Table();
        Set(table, "tablesAllocated", 5);
        ExpectViolation(table.CheckInvariants, "5 tables allocated but 4 reachable and 0 pooled");
    }

    /// <summary>A table never allocated, the root, and table 2, which table 1 already points at.</summary>
    [Theory]
    [InlineData(2, 5, 4)]
    [InlineData(1, 7, 0)]
    [InlineData(1, 1, 2)]
    public void A_pointer_to_a_table_out_of_range_or_already_linked_is_caught(int parent, int slot, int child)
    {
        var table = Table();
        Entry(table, parent, slot) = Descriptor.Table(child);
        ExpectViolation(table.CheckInvariants, $"table {parent}[{slot}] points at table {child}, out of range or shared");
    }

    [Fact]
    public void A_block_of_an_unsupported_size_is_caught()
    {
        var table = Table();
        Entry(table, 0, 1) = Descriptor.Leaf(1UL << 39, IommuProt.Read, lastLevel: false);
        ExpectViolation(table.CheckInvariants, "table 0[1] at level 0 holds a descriptor 0x8000000005");
    }

    [Fact]
    public void A_block_descriptor_at_the_last_level_is_caught()
    {
        var table = Table();
        Entry(table, 3, 0) = Descriptor.Leaf(0, IommuProt.Read, lastLevel: false);
        ExpectViolation(table.CheckInvariants, "table 3[0] at level 3 holds a descriptor 0x5 of a size the granule does not support");
    }

    [Fact]
    public void A_misaligned_block_is_caught()
    {
        var table = Table();
        Entry(table, 2, 1) = Descriptor.Leaf(Size2M + IoPgtableConfig.Size4K, IommuProt.Read, lastLevel: false);
        ExpectViolation(table.CheckInvariants, "leaf 0x201005 at level 2 is not aligned to its size");
    }

    [Fact]
    public void A_leaf_without_read_or_write_is_caught()
    {
        var table = Table();
        Entry(table, 3, 0) = Descriptor.Leaf(0, IommuProt.None, lastLevel: true);
        ExpectViolation(table.CheckInvariants, "leaf 0x3 has neither read nor write");
    }

    [Fact]
    public void A_wrong_valid_count_is_caught()
    {
        var table = Table();
        Get<int[]>(table, "validCount")[3]++;
        ExpectViolation(table.CheckInvariants, "table 3 holds 1 valid entries but counts 2");
    }

    [Fact]
    public void An_empty_table_left_linked_is_caught()
    {
        var table = Table();
        Entry(table, 3, 0) = Descriptor.Invalid;
        Get<int[]>(table, "validCount")[3] = 0;
        ExpectViolation(table.CheckInvariants, "empty table 3 at level 3 was not reclaimed");
    }
}
