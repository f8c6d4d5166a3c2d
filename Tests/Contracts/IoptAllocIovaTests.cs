using Harness.Implementation;
using Harness.Model;
using Harness.Mutants;
using Xunit;

namespace Harness.Tests.Contracts;

/// <summary>
/// docs/SPEC.md §5 "lowest-fit, Linux profiles": iommufd's iopt_alloc_iova as the model, the
/// implementation and (for the wrap) the planted pre-b42497e3c0e7 allocator answer it, 4 KiB pages.
/// </summary>
public sealed class IoptAllocIovaTests
{
    private static readonly IovaDomain Domain = new(0x1000, 0);

    /// <summary>2^52 − 1, the last 4 KiB page, which iommufd never hands out.</summary>
    private const ulong LastPage = (ulong.MaxValue >> 12);

    public static TheoryData<string> Allocators() => ["model", "implementation"];

    private static IIovaAllocator Create(string which) => which == "model"
        ? ModelAllocators.Create(Domain, AllocPolicy.LowestFit, KernelProfiles.Linux618)
        : IovaAllocators.Create(Domain, AllocPolicy.LowestFit, KernelProfiles.Linux618);

    [Theory]
    [MemberData(nameof(Allocators))]
    public void A_4MiB_allocation_in_an_empty_space_is_aligned_only_to_a_2MiB_huge_page(string which)
    {
        Assert.Equal(Errno.Ok, Create(which).Alloc(0x400, ulong.MaxValue, sizeAligned: true, out ulong pfn));
        Assert.Equal(0x200UL, pfn);
    }

    [Theory]
    [MemberData(nameof(Allocators))]
    public void An_address_with_no_alignment_of_its_own_gets_the_first_free_page(string which)
    {
        var allocator = Create(which);
        Assert.Equal(Errno.Ok, allocator.Alloc(3, ulong.MaxValue, sizeAligned: false, out ulong pfn));
        Assert.Equal(1UL, pfn);
    }

    [Theory]
    [MemberData(nameof(Allocators))]
    public void Neither_page_0_nor_the_last_page_is_handed_out(string which)
    {
        var allocator = Create(which);
        Assert.Equal(Errno.Ok, allocator.Reserve(1, LastPage - 2));
        Assert.Equal(Errno.Ok, allocator.Alloc(1, ulong.MaxValue, sizeAligned: true, out ulong pfn));
        Assert.Equal(LastPage - 1, pfn);
        Assert.Equal(Errno.ENOSPC, allocator.Alloc(1, ulong.MaxValue, sizeAligned: true, out _));
    }

    [Theory]
    [MemberData(nameof(Allocators))]
    public void A_length_of_half_the_address_space_is_EOVERFLOW_and_zero_EINVAL(string which)
    {
        var allocator = Create(which);
        Assert.Equal(Errno.EOVERFLOW, allocator.Alloc(1UL << 51, ulong.MaxValue, sizeAligned: false, out _));
        Assert.Equal(Errno.EINVAL, allocator.Alloc(0, ulong.MaxValue, sizeAligned: false, out _));
        Assert.Equal(Errno.Ok, allocator.Alloc((1UL << 51) - 1, ulong.MaxValue, sizeAligned: false, out ulong pfn));
        Assert.Equal(1UL, pfn);
    }

    [Theory]
    [MemberData(nameof(Allocators))]
    public void A_reservation_over_an_allocation_is_EADDRINUSE_and_over_another_reservation_is_taken(string which)
    {
        var allocator = Create(which);
        Assert.Equal(Errno.Ok, allocator.Alloc(4, ulong.MaxValue, sizeAligned: true, out ulong pfn));
        Assert.Equal(Errno.EADDRINUSE, allocator.Reserve(pfn + 3, pfn + 10));
        Assert.Equal(Errno.Ok, allocator.Reserve(pfn + 4, pfn + 10));
        Assert.Equal(Errno.Ok, allocator.Reserve(pfn + 8, pfn + 20));
        Assert.Equal([IovaRange.FromSize(pfn, 4)], allocator.Allocations);
    }

    [Theory]
    [MemberData(nameof(Allocators))]
    public void A_hole_whose_aligned_start_would_wrap_is_no_fit(string which)
    {
        var allocator = Create(which);
        Assert.Equal(Errno.Ok, allocator.Reserve(1, LastPage - 6));
        Assert.Equal(Errno.ENOSPC, allocator.Alloc(5, ulong.MaxValue, sizeAligned: true, out _));
        Assert.Equal(Errno.Ok, allocator.Alloc(5, ulong.MaxValue, sizeAligned: false, out ulong pfn));
        Assert.Equal(LastPage - 5, pfn);
    }

    [Fact]
    public void Before_b42497e3c0e7_that_hole_aligned_to_IOVA_0()
    {
        var allocator = new IoptAlignWraps(Domain);
        Assert.Equal(Errno.Ok, allocator.Reserve(1, LastPage - 6));
        Assert.Equal(Errno.Ok, allocator.Alloc(5, ulong.MaxValue, sizeAligned: true, out ulong pfn));
        Assert.Equal(0UL, pfn);
    }
}
