using Harness.Model;
using Xunit;

namespace Harness.Tests.Contracts;

/// <summary>docs/SPEC.md §5 and the allocator bugs of §8.1–§8.4, answered correctly, for both policies.</summary>
public abstract class AllocatorContract
{
    protected abstract IIovaAllocator Create(IovaDomain domain, AllocPolicy policy);

    private IIovaAllocator TopDown(ulong startPfn = 1) => Create(new IovaDomain(0x1000, startPfn), AllocPolicy.TopDown);

    private IIovaAllocator LowestFit(ulong startPfn = 0) => Create(new IovaDomain(0x1000, startPfn), AllocPolicy.LowestFit);

    private static ulong Alloc(IIovaAllocator allocator, ulong size, ulong limit, bool aligned = false)
    {
        Assert.Equal(Errno.Ok, allocator.Alloc(size, limit, aligned, out ulong pfn));
        return pfn;
    }

    [Fact]
    public void TopDown_returns_the_highest_fit_below_the_limit()
    {
        var a = TopDown();
        Assert.Equal(0xfcUL, Alloc(a, 4, 0xff));
        Assert.Equal(0xf8UL, Alloc(a, 4, 0xff));
        Assert.Equal(0x7fUL, Alloc(a, 1, 0x7f));
    }

    [Fact]
    public void TopDown_size_aligned_starts_at_a_multiple_of_the_rounded_up_size()
    {
        var a = TopDown();
        Assert.Equal(0xfcUL, Alloc(a, 3, 0xff, aligned: true));
        Assert.Equal(0xf8UL, Alloc(a, 3, 0xff, aligned: true));
        Assert.Equal(0xf6UL, Alloc(a, 2, 0xf7, aligned: true));
    }

    [Fact]
    public void TopDown_skips_reserved_ranges()
    {
        var a = TopDown();
        Assert.Equal(Errno.Ok, a.Reserve(0xf0, 0xff));
        Assert.Equal(0xefUL, Alloc(a, 1, 0xff));
    }

    [Fact]
    public void TopDown_may_return_pfn_0_when_the_domain_starts_there()
    {
        var a = TopDown(startPfn: 0);
        Assert.Equal(0UL, Alloc(a, 1, 0));
    }

    [Fact]
    public void LowestFit_returns_the_lowest_fit_and_never_pfn_0()
    {
        var a = LowestFit();
        Assert.Equal(1UL, Alloc(a, 1, 0xff));
        Assert.Equal(2UL, Alloc(a, 2, 0xff, aligned: true));
        Assert.Equal(4UL, Alloc(a, 1, 0xff));
        Assert.Equal(8UL, Alloc(a, 3, 0xff, aligned: true));
        Assert.Equal(Errno.ENOSPC, a.Alloc(1, 0, false, out _));
    }

    [Fact]
    public void LowestFit_skips_reserved_ranges_and_fails_with_ENOSPC()
    {
        var a = LowestFit(startPfn: 0x10);
        Assert.Equal(Errno.Ok, a.Reserve(0x10, 0x1f));
        Assert.Equal(0x20UL, Alloc(a, 0x10, 0x2f));
        Assert.Equal(Errno.ENOSPC, a.Alloc(1, 0x2f, false, out _));
    }

    [Theory]
    [InlineData(AllocPolicy.TopDown)]
    [InlineData(AllocPolicy.LowestFit)]
    public void Bug_8_1_an_exact_fit_at_startPfn_is_found(AllocPolicy policy)
    {
        var a = Create(new IovaDomain(0x1000, 1), policy);
        Assert.Equal(Errno.Ok, a.Reserve(2, ulong.MaxValue));
        Assert.Equal(Errno.Ok, a.Alloc(1, ulong.MaxValue, true, out ulong pfn));
        Assert.Equal(1UL, pfn);
    }

    [Fact]
    public void Bug_8_1_a_one_page_window_at_startPfn_is_found()
    {
        var a = TopDown(startPfn: 5);
        Assert.Equal(5UL, Alloc(a, 1, 5));
    }

    [Fact]
    public void Bug_8_2_no_limit_underflow_after_the_only_aligned_fit_is_taken()
    {
        var a = TopDown(startPfn: 1);
        Assert.Equal(Errno.Ok, a.Reserve(0, 0));
        Assert.Equal(2UL, Alloc(a, 2, 3, aligned: true));
        Assert.Equal(Errno.ENOMEM, a.Alloc(2, 3, true, out _));
    }

    [Fact]
    public void Bug_8_3_a_freed_range_is_found_again()
    {
        var a = TopDown(startPfn: 0x10);
        var pfns = Enumerable.Range(0, 16).Select(_ => Alloc(a, 1, 0x1f)).ToList();
        Assert.Equal(Errno.ENOMEM, a.Alloc(1, 0x1f, false, out _));
        Assert.Equal(Errno.Ok, a.Free(pfns[12]));
        Assert.Equal(pfns[12], Alloc(a, 1, 0x1f));
        Assert.Equal(Errno.Ok, a.Free(pfns[15]));
        Assert.Equal(Errno.Ok, a.Free(pfns[3]));
        Assert.Equal(pfns[3], Alloc(a, 1, 0x1f));
        Assert.Equal(pfns[15], Alloc(a, 1, 0x1f));
    }

    [Fact]
    public void Bug_8_4_a_free_below_4GiB_makes_room_for_a_32_bit_request()
    {
        const ulong limit32 = 0xfffff;
        var a = TopDown();
        Assert.Equal(Errno.Ok, a.Reserve(1, limit32 - 15));
        var pfns = Enumerable.Range(0, 15).Select(_ => Alloc(a, 1, limit32)).ToList();
        Assert.Equal(Errno.ENOMEM, a.Alloc(1, limit32, false, out _));
        Assert.Equal(0x1_0000_0000UL, Alloc(a, 1, 0x1_0000_0000));
        Assert.Equal(Errno.Ok, a.Free(pfns[7]));
        Assert.Equal(pfns[7], Alloc(a, 1, limit32));
    }

    [Fact]
    public void The_limit_may_be_the_last_pfn_of_u64()
    {
        var a = TopDown(startPfn: 0);
        Assert.Equal(ulong.MaxValue, Alloc(a, 1, ulong.MaxValue));
        Assert.Equal(ulong.MaxValue - 3, Alloc(a, 2, ulong.MaxValue, aligned: true));
        Assert.Equal(ulong.MaxValue - 1, Alloc(a, 1, ulong.MaxValue));
    }

    [Fact]
    public void A_size_above_2_pow_63_aligns_to_2_pow_64_so_only_pfn_0_fits()
    {
        var a = TopDown(startPfn: 0);
        Assert.Equal(0UL, Alloc(a, (1UL << 63) + 1, ulong.MaxValue, aligned: true));
        var b = TopDown(startPfn: 1);
        Assert.Equal(Errno.ENOMEM, b.Alloc((1UL << 63) + 1, ulong.MaxValue, true, out _));
        Assert.Equal(Errno.ENOMEM, b.Alloc(ulong.MaxValue, ulong.MaxValue, true, out _));
        Assert.Equal(1UL, Alloc(b, ulong.MaxValue, ulong.MaxValue));
    }

    [Theory]
    [InlineData(AllocPolicy.TopDown, Errno.ENOMEM)]
    [InlineData(AllocPolicy.LowestFit, Errno.ENOSPC)]
    public void Size_0_is_EINVAL_and_a_limit_below_the_domain_fails(AllocPolicy policy, Errno noFit)
    {
        var a = Create(new IovaDomain(0x1000, 0x100), policy);
        Assert.Equal(Errno.EINVAL, a.Alloc(0, 0x1000, false, out _));
        Assert.Equal(noFit, a.Alloc(1, 0xff, false, out _));
        Assert.Equal(noFit, a.Alloc(0x20, 0x11e, false, out _));
    }

    [Fact]
    public void Free_of_an_unknown_pfn_is_ENOENT_and_changes_nothing()
    {
        var a = TopDown();
        ulong pfn = Alloc(a, 4, 0xff);
        Assert.Equal(Errno.ENOENT, a.Free(pfn - 1));
        Assert.Equal(Errno.ENOENT, a.Free(pfn + 4));
        Assert.True(a.Find(pfn, out var allocation));
        Assert.Equal(new IovaRange(pfn, pfn + 3), allocation);
    }

    [Fact]
    public void Free_by_any_pfn_inside_releases_the_whole_allocation()
    {
        var a = TopDown();
        ulong pfn = Alloc(a, 4, 0xff);
        Assert.Equal(Errno.Ok, a.Free(pfn + 2));
        Assert.False(a.Find(pfn, out _));
        Assert.Equal(Errno.ENOENT, a.Free(pfn));
        Assert.Equal(pfn, Alloc(a, 4, 0xff));
    }

    [Fact]
    public void Find_returns_the_allocation_containing_a_pfn_and_not_a_reservation()
    {
        var a = TopDown();
        ulong pfn = Alloc(a, 8, 0xff);
        Assert.Equal(Errno.Ok, a.Reserve(0x10, 0x1f));
        Assert.True(a.Find(pfn + 7, out var allocation));
        Assert.Equal(new IovaRange(pfn, pfn + 7), allocation);
        Assert.False(a.Find(0x10, out _));
        Assert.False(a.Find(pfn - 1, out _));
    }

    [Fact]
    public void Reserve_rejects_an_inverted_range_and_accepts_overlaps()
    {
        var a = TopDown();
        Assert.Equal(Errno.EINVAL, a.Reserve(0x20, 0x1f));
        Assert.Equal(Errno.Ok, a.Reserve(0x10, 0x2f));
        Assert.Equal(Errno.Ok, a.Reserve(0x20, 0x3f));
        Assert.Equal(Errno.Ok, a.Reserve(0, 0));
        Assert.Equal(0xfUL, Alloc(a, 1, 0x3f));
    }

    [Fact]
    public void Reserve_over_an_allocation_keeps_the_allocation_and_the_space_stays_unusable()
    {
        var a = TopDown();
        ulong pfn = Alloc(a, 1, 0x10);
        Assert.Equal(Errno.Ok, a.Reserve(pfn, pfn));
        Assert.True(a.Find(pfn, out _));
        Assert.Equal(Errno.Ok, a.Free(pfn));
        Assert.Equal(pfn - 1, Alloc(a, 1, 0x10));
    }

    [Fact]
    public void TopDown_finds_the_highest_hole_between_allocations()
    {
        var a = TopDown();
        var pfns = Enumerable.Range(0, 8).Select(_ => Alloc(a, 2, 0x1f, aligned: true)).ToList();
        Assert.Equal(Errno.Ok, a.Free(pfns[2]));
        Assert.Equal(Errno.Ok, a.Free(pfns[5]));
        Assert.Equal(pfns[2], Alloc(a, 2, 0x1f, aligned: true));
        Assert.Equal(pfns[5], Alloc(a, 1, 0x1f) - 1);
    }
}
