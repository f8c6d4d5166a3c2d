using Harness.Implementation;
using Harness.Model;
using Harness.Tests.Invariants;
using Xunit;

namespace Harness.Tests.Implementation;

/// <summary>docs/SPEC.md §5 "cache": answers need only be valid (in bounds, aligned, free) and complete.</summary>
public sealed class IovaRcacheTests
{
    private static IovaAllocator Cached(ulong startPfn = 1) => new(new IovaDomain(0x1000, startPfn), AllocPolicy.TopDown, useRcache: true);

    private static ulong Alloc(IovaAllocator a, ulong size, ulong limit, bool aligned = true)
    {
        Assert.Equal(Errno.Ok, a.Alloc(size, limit, aligned, out ulong pfn));
        a.CheckInvariants();
        return pfn;
    }

    [Fact]
    public void Small_sizes_are_rounded_up_to_a_power_of_two()
    {
        var a = Cached();
        ulong pfn = Alloc(a, 3, 0xff);
        Assert.True(a.Find(pfn, out var allocation));
        Assert.Equal(new IovaRange(0xfc, 0xff), allocation);
        ulong big = Alloc(a, 33, 0xffff);
        Assert.True(a.Find(big, out allocation));
        Assert.Equal(33UL, (ulong)allocation.Size);
    }

    [Fact]
    public void A_freed_small_range_is_parked_and_handed_out_again()
    {
        var a = Cached();
        ulong first = Alloc(a, 4, 0xffff);
        ulong second = Alloc(a, 4, 0xffff);
        Assert.Equal(Errno.Ok, a.Free(first));
        a.CheckInvariants();
        Assert.False(a.Find(first, out _));
        Assert.Equal(first, Alloc(a, 4, 0xffff));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void A_parked_range_cannot_be_freed_twice()
    {
        var a = Cached();
        ulong pfn = Alloc(a, 2, 0xff);
        Assert.Equal(Errno.Ok, a.Free(pfn));
        Assert.Equal(Errno.ENOENT, a.Free(pfn));
        a.CheckInvariants();
    }

    [Fact]
    public void A_parked_range_above_the_limit_is_not_returned()
    {
        var a = Cached();
        ulong high = Alloc(a, 1, 0xffff);
        Assert.Equal(Errno.Ok, a.Free(high));
        ulong low = Alloc(a, 1, 0xff);
        Assert.True(low <= 0xff);
    }

    [Fact]
    public void An_aligned_request_skips_unaligned_parked_ranges()
    {
        var a = Cached();
        ulong odd = Alloc(a, 2, 0x100, aligned: false);
        Assert.Equal(0xffUL, odd);
        Assert.Equal(Errno.Ok, a.Free(odd));
        ulong aligned = Alloc(a, 2, 0x100);
        Assert.Equal(0UL, aligned % 2);
    }

    [Fact]
    public void Parked_ranges_are_flushed_when_nothing_else_fits()
    {
        var a = Cached(startPfn: 0x100);
        var pfns = Enumerable.Range(0, 64).Select(_ => Alloc(a, 1, 0x13f)).ToList();
        Assert.Equal(Errno.ENOMEM, a.Alloc(1, 0x13f, true, out _));
        foreach (ulong pfn in pfns)
            Assert.Equal(Errno.Ok, a.Free(pfn));
        a.CheckInvariants();
        Assert.Equal(0x100UL, Alloc(a, 64, 0x13f));
    }

    /// <summary>
    /// 300 parked ranges of 2 pfns fill the loaded and previous magazines and put one in the depot;
    /// a reservation elsewhere flushes them all, so one allocation can take the whole space back.
    /// </summary>
    [Fact]
    public void A_flush_releases_every_magazine_of_a_class()
    {
        var a = Cached(startPfn: 0x1000 - 600);
        var pfns = Enumerable.Range(0, 300).Select(_ => Alloc(a, 2, 0xfff)).ToList();
        foreach (ulong pfn in pfns)
            Assert.Equal(Errno.Ok, a.Free(pfn));
        a.CheckInvariants();
        Assert.Equal(Errno.Ok, a.Reserve(0x10_0000, 0x10_0000));
        a.CheckInvariants();
        Assert.Equal(0x1000UL - 600, Alloc(a, 600, 0xfff, aligned: false));
    }

    [Fact]
    public void A_full_depot_releases_the_overflowing_magazine()
    {
        var a = Cached();
        const int count = 127 * 36;
        var pfns = Enumerable.Range(0, count).Select(_ => Alloc(a, 1, 0xfffff)).ToList();
        foreach (ulong pfn in pfns)
            Assert.Equal(Errno.Ok, a.Free(pfn));
        a.CheckInvariants();
        Assert.Equal(0, a.AllocationCount);
    }

    [Fact]
    public void A_reservation_over_a_parked_range_is_never_handed_out()
    {
        var a = new IovaAllocator(new IovaDomain(0x1000, 0), AllocPolicy.LowestFit, useRcache: true);
        ulong pfn = Alloc(a, 5, 0x10);
        Assert.Equal(Errno.Ok, a.Free(pfn));
        Assert.Equal(Errno.Ok, a.Reserve(pfn, pfn));
        Assert.NotEqual(pfn, Alloc(a, 5, 0x20));
    }

    [Fact]
    public void An_allocation_under_a_reservation_is_released_not_parked()
    {
        var a = new IovaAllocator(new IovaDomain(0x1000, 0), AllocPolicy.LowestFit, useRcache: true);
        ulong pfn = Alloc(a, 5, 0x10);
        Assert.Equal(Errno.Ok, a.Reserve(pfn, pfn));
        Assert.Equal(Errno.Ok, a.Free(pfn));
        Assert.NotEqual(pfn, Alloc(a, 5, 0x20));
    }

    [Theory]
    [InlineData(32UL, 1)]
    [InlineData(33UL, 0)]
    public void Only_ranges_of_at_most_32_pfns_are_parked_wherever_they_lie(ulong size, int parked)
    {
        var a = Cached();
        ulong pfn = Alloc(a, size, 0xffff_ffff, aligned: false);
        Assert.Equal(Errno.Ok, a.Free(pfn));
        a.CheckInvariants();
        Assert.Equal(parked, Surgery.Get<IovaRcache>(a, "rcache").Count);
    }

    [Fact]
    public void Large_sizes_bypass_the_cache()
    {
        var a = Cached();
        ulong pfn = Alloc(a, 64, 0xffff);
        Assert.Equal(Errno.Ok, a.Free(pfn));
        Assert.Equal(Errno.ENOENT, a.Free(pfn));
        Assert.Equal(pfn, Alloc(a, 64, 0xffff));
        a.CheckInvariants();
    }
}
