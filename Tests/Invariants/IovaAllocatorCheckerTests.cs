using Harness.Implementation;
using Harness.Model;
using Xunit;
using static Harness.Tests.Invariants.Surgery;

namespace Harness.Tests.Invariants;

/// <summary>
/// Each check of <see cref="IovaAllocator.CheckInvariants"/> and of the rcache's checker fires on
/// the one corruption it exists for.
/// </summary>
public sealed class IovaAllocatorCheckerTests
{
    /// <summary>
    /// An allocation [0x2c, 0x2f] under a later reservation [0x28, 0x33], which the tree holds as
    /// reserved [0x28, 0x2b], allocated [0x2c, 0x2f], reserved [0x30, 0x33].
    /// </summary>
    private static IovaAllocator SplitReservation()
    {
        var allocator = new IovaAllocator(new IovaDomain(0x1000, 1), AllocPolicy.TopDown);
        Assert.Equal(Errno.Ok, allocator.Alloc(4, 0x2f, true, out ulong pfn));
        Assert.Equal(0x2cUL, pfn);
        Assert.Equal(Errno.Ok, allocator.Reserve(0x28, 0x33));
        allocator.CheckInvariants();
        return allocator;
    }

    /// <summary>Allocations at 0xfc and 0xf8 (4 pfns each), the first freed and parked in the order-2 rcache.</summary>
    private static IovaAllocator OneParked()
    {
        var allocator = new IovaAllocator(new IovaDomain(0x1000, 1), AllocPolicy.TopDown, useRcache: true);
        Assert.Equal(Errno.Ok, allocator.Alloc(4, 0xff, true, out ulong first));
        Assert.Equal(Errno.Ok, allocator.Alloc(4, 0xff, true, out ulong second));
        Assert.Equal((0xfcUL, 0xf8UL), (first, second));
        Assert.Equal(Errno.Ok, allocator.Free(first));
        allocator.CheckInvariants();
        return allocator;
    }

    private static RangeTree<IovaSegment> Tree(IovaAllocator allocator) => Get<RangeTree<IovaSegment>>(allocator, "tree");

    private static IovaRcache Rcache(IovaAllocator allocator) => Get<IovaRcache>(allocator, "rcache");

    private static IovaMagazine Loaded(IovaRcache rcache, int order) =>
        Get<IovaMagazine>(Get<Array>(rcache, "classes").GetValue(order)!, "Loaded");

    [Fact]
    public void A_corrupt_tree_is_caught()
    {
        var allocator = SplitReservation();
        SetProperty(Tree(allocator), "Count", 4);
        ExpectViolation(allocator.CheckInvariants, "range tree holds 3 ranges but counts 4");
    }

    [Fact]
    public void A_corrupt_reserved_union_is_caught()
    {
        var allocator = SplitReservation();
        Get<List<IovaRange>>(Get<ReservedUnion>(allocator, "reserved"), "ranges").Add(new IovaRange(0x30, 0x40));
        ExpectViolation(allocator.CheckInvariants, "reserved union ranges [0x28, 0x33] and [0x30, 0x40] overlap or touch");
    }

    [Fact]
    public void A_reserved_segment_reaching_below_its_reservation_is_caught()
    {
        var allocator = SplitReservation();
        Assert.True(Tree(allocator).Remove(0x28));
        Tree(allocator).Insert(0x27, 0x2b, IovaSegment.Reserved);
        ExpectViolation(allocator.CheckInvariants, "reserved segment [0x27, 0x2b] is outside every reservation");
    }

    [Fact]
    public void A_reserved_segment_above_every_reservation_is_caught()
    {
        var allocator = SplitReservation();
        Tree(allocator).Insert(0x80, 0x83, IovaSegment.Reserved);
        ExpectViolation(allocator.CheckInvariants, "reserved segment [0x80, 0x83] is outside every reservation");
    }

    [Fact]
    public void A_wrong_allocation_count_is_caught()
    {
        var allocator = SplitReservation();
        SetProperty(allocator, nameof(allocator.AllocationCount), 2);
        ExpectViolation(allocator.CheckInvariants, "tree holds 1 allocations but the count is 2");
    }

    [Fact]
    public void A_cached_segment_without_an_rcache_is_caught()
    {
        var allocator = SplitReservation();
        Tree(allocator).Insert(0x90, 0x93, IovaSegment.Cached);
        ExpectViolation(allocator.CheckInvariants, "tree holds 1 cached ranges but the rcache holds 0");
    }

    [Fact]
    public void An_rcache_count_out_of_step_with_the_tree_is_caught()
    {
        var allocator = OneParked();
        SetProperty(Rcache(allocator), "Count", 2);
        ExpectViolation(allocator.CheckInvariants, "tree holds 1 cached ranges but the rcache holds 2");
    }

    [Fact]
    public void A_freed_reserved_pfn_is_caught_in_every_segment_of_its_reservation()
    {
        var allocator = SplitReservation();
        Assert.True(Tree(allocator).Remove(0x30));
        ExpectViolation(allocator.CheckInvariants, "reserved pfn 0x30 is free in the tree");
    }

    [Fact]
    public void A_parked_pfn_the_tree_holds_as_allocated_is_caught()
    {
        var allocator = OneParked();
        Get<ulong[]>(Loaded(Rcache(allocator), 2), "pfns")[0] = 0xf8;
        ExpectViolation(allocator.CheckInvariants, "parked pfn 0xf8 (order 2) is not a cached range of that size in the tree");
    }

    [Theory]
    [InlineData(0x10UL, 2)]
    [InlineData(0xfdUL, 2)]
    [InlineData(0xfcUL, 3)]
    public void A_parked_pfn_that_is_not_the_start_of_a_cached_range_of_its_order_is_caught(ulong pfn, int order)
    {
        var allocator = OneParked();
        var rcache = Rcache(allocator);
        Loaded(rcache, 2).Clear();
        Loaded(rcache, order).Push(pfn);
        ExpectViolation(() => rcache.CheckInvariants(Tree(allocator)), $"parked pfn 0x{pfn:x} (order {order}) is not a cached range");
    }

    [Fact]
    public void A_pfn_parked_twice_is_caught()
    {
        var allocator = OneParked();
        var rcache = Rcache(allocator);
        Loaded(rcache, 2).Push(0xfc);
        ExpectViolation(() => rcache.CheckInvariants(Tree(allocator)), "pfn 0xfc is parked twice");
    }

    [Fact]
    public void A_wrong_parked_count_is_caught()
    {
        var allocator = OneParked();
        var rcache = Rcache(allocator);
        SetProperty(rcache, "Count", 2);
        ExpectViolation(() => rcache.CheckInvariants(Tree(allocator)), "rcache counts 2 parked ranges but holds 1");
    }
}
