using Harness.Model;
using Xunit;

namespace Harness.Tests.Contracts;

/// <summary>
/// docs/SPEC.md §5 under the Linux profiles: drivers/iommu/iova.c's answers, each fact with the
/// input where the ideal profile answers differently. Read in the v6.1 and v6.12 sources.
/// </summary>
public abstract class LinuxIovaContract
{
    protected abstract IIovaAllocator Create(IovaDomain domain);

    private IIovaAllocator Domain(ulong startPfn = 1, ulong granule = 0x1000) => Create(new IovaDomain(granule, startPfn));

    private static ulong Alloc(IIovaAllocator allocator, ulong size, ulong limit, bool aligned = false)
    {
        Assert.Equal(Errno.Ok, allocator.Alloc(size, limit, aligned, out ulong pfn));
        return pfn;
    }

    private static IovaRange? Found(IIovaAllocator allocator, ulong pfn) => allocator.Find(pfn, out var range) ? range : null;

    [Fact]
    public void The_walk_starts_below_the_cached_node_not_at_the_highest_fit()
    {
        var a = Domain();
        Assert.Equal(0xffUL, Alloc(a, 1, 0xff));
        Assert.Equal(0xe0UL, Alloc(a, 16, 0xff, aligned: true));
        Assert.Equal(0xdfUL, Alloc(a, 1, 0xff));
    }

    [Fact]
    public void A_size_above_2_to_the_63_is_not_aligned_since_the_mask_shift_by_64_wraps()
    {
        // align_mask <<= fls_long(size - 1) shifts by 64: x86-64 and arm64 shift by 0, as real iova.c built with gcc does.
        var a = Domain(startPfn: 0);
        Assert.Equal(1UL, Alloc(a, 0x8000000000000001, 0x8000000000000001, aligned: true));
    }

    [Fact]
    public void A_limit_above_4GiB_walks_from_cached_node_wherever_it_was_left()
    {
        var a = Domain();
        Assert.Equal(0x1fffffUL, Alloc(a, 1, 0x1fffff));
        Assert.Equal(0x1ffffeUL, Alloc(a, 1, 0x2fffff));
    }

    [Fact]
    public void When_the_walk_below_fails_it_retries_above_the_cached_node()
    {
        var a = Domain();
        Assert.Equal(0x7fUL, Alloc(a, 1, 0x7f));
        Assert.Equal(Errno.Ok, a.Reserve(1, 0x7e));
        Assert.Equal(0xffUL, Alloc(a, 1, 0xff));
    }

    [Fact]
    public void A_free_at_or_above_the_cached_node_moves_it_to_the_successor()
    {
        var a = Domain();
        Assert.Equal(0xffUL, Alloc(a, 1, 0xff));
        Assert.Equal(0xfeUL, Alloc(a, 1, 0xff));
        Assert.Equal(Errno.Ok, a.Free(0xff));
        Assert.Equal(0xffUL, Alloc(a, 1, 0xff));
    }

    [Fact]
    public void A_failed_search_makes_later_32bit_requests_of_that_size_fail_until_a_low_free()
    {
        var a = Domain();
        Assert.Equal(Errno.Ok, a.Reserve(1, 0xf));
        Assert.Equal(Errno.ENOMEM, a.Alloc(1, 0xf, false, out _));
        Assert.Equal(Errno.ENOMEM, a.Alloc(1, 0xfffff, false, out _));
        Assert.Equal(0x1000ffUL, Alloc(a, 1, 0x1000ff));
        Assert.Equal(Errno.Ok, a.Free(0x1000ff));
        Assert.Equal(Errno.ENOMEM, a.Alloc(1, 0xfffff, false, out _));
        Assert.Equal(Errno.Ok, a.Free(5));
        Assert.Equal(0xfffffUL, Alloc(a, 1, 0xfffff));
    }

    [Fact]
    public void The_hint_records_a_failure_at_any_limit_but_not_its_own_refusal()
    {
        var a = Domain();
        Assert.Equal(Errno.Ok, a.Reserve(1, 0x107));
        Assert.Equal(Errno.Ok, a.Reserve(0x118, 0x3fffff));
        Assert.Equal(Errno.ENOMEM, a.Alloc(16, 0x3fffff, true, out _));
        Assert.Equal(Errno.ENOMEM, a.Alloc(32, 0xfff, false, out _));
        Assert.Equal(Errno.ENOMEM, a.Alloc(16, 0xfff, false, out _));
        Assert.Equal(0x109UL, Alloc(a, 15, 0xfff));
        Assert.Equal(Errno.Ok, a.Free(0x109));
        Assert.Equal(0x108UL, Alloc(a, 16, 0xfff));
    }

    [Fact]
    public void A_limit_of_all_ones_wraps_to_0_and_fails()
    {
        var a = Domain(startPfn: 0);
        Assert.Equal(Errno.ENOMEM, a.Alloc(1, ulong.MaxValue, false, out _));
        Assert.Equal(ulong.MaxValue - 1, Alloc(a, 1, ulong.MaxValue - 1));
    }

    [Fact]
    public void Reserve_rejects_pfns_that_do_not_fit_the_granule()
    {
        var a = Domain();
        Assert.Equal(Errno.EINVAL, a.Reserve(1, 1UL << 52));
        Assert.Equal(Errno.Ok, a.Reserve(1, (1UL << 52) - 1));
    }

    [Fact]
    public void Reserve_widens_an_overlapping_allocation_and_free_takes_it_all()
    {
        var a = Domain();
        Assert.Equal(0x100UL, Alloc(a, 4, 0x103));
        Assert.Equal(Errno.Ok, a.Reserve(0xf0, 0x101));
        Assert.Equal(new IovaRange(0xf0, 0x103), Found(a, 0xf5));
        Assert.Equal([new IovaRange(0xf0, 0x103)], a.Allocations);
        Assert.Equal(Errno.Ok, a.Free(0xf0));
        Assert.Null(Found(a, 0x101));
    }

    [Fact]
    public void Reserve_over_several_nodes_fills_between_them_and_adds_the_rest_above()
    {
        var a = Domain();
        Assert.Equal(Errno.Ok, a.Reserve(0x10, 0x1f));
        Assert.Equal(Errno.Ok, a.Reserve(0x30, 0x3f));
        Assert.Equal(Errno.Ok, a.Reserve(0x8, 0x50));
        Assert.Equal(new IovaRange(0x8, 0x1f), Found(a, 0x8));
        Assert.Equal(new IovaRange(0x20, 0x3f), Found(a, 0x25));
        Assert.Equal(new IovaRange(0x40, 0x50), Found(a, 0x50));
    }

    [Fact]
    public void Reserve_inside_a_node_adds_nothing_and_free_deletes_a_reservation()
    {
        var a = Domain();
        Assert.Equal(Errno.Ok, a.Reserve(0x10, 0x20));
        Assert.Equal(Errno.Ok, a.Reserve(0x12, 0x15));
        Assert.Equal(Errno.Ok, a.Free(0x15));
        Assert.Null(Found(a, 0x10));
        Assert.Equal(Errno.ENOENT, a.Free(0x15));
    }

    [Fact]
    public void The_anchor_is_found_but_never_freed()
    {
        var a = Domain();
        Assert.Equal(new IovaRange(ulong.MaxValue, ulong.MaxValue), Found(a, ulong.MaxValue));
        Assert.Equal(Errno.ENOENT, a.Free(ulong.MaxValue));
        Assert.Empty(a.Allocations);
    }
}
