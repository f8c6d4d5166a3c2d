using Harness.Model;
using Xunit;

namespace Harness.Tests.Model;

/// <summary>docs/SPEC.md §2 step 4: the valid IOVA list, clipped and with regions cut out.</summary>
public sealed class ValidIovaListTests
{
    private static IovaRange I(ulong start, ulong last) => new(start, last);

    private static ResvRegion R(ulong start, ulong last, ResvType type) => new(new IovaRange(start, last), IommuProt.None, type);

    [Fact]
    public void A_region_inside_a_range_splits_it_in_two() =>
        Assert.Equal([I(0, 0xfff), I(0x2000, 0xffff)], ValidIovaList.Build(I(0, 0xffff), [R(0x1000, 0x1fff, ResvType.Reserved)]));

    [Fact]
    public void A_region_at_either_end_trims_the_range() =>
        Assert.Equal([I(0x1000, 0xefff)], ValidIovaList.Build(I(0, 0xffff), [R(0, 0xfff, ResvType.Msi), R(0xf000, 0xffff, ResvType.Msi)]));

    [Fact]
    public void Direct_relaxable_regions_are_not_excluded() =>
        Assert.Equal([I(0, 0xffff)], ValidIovaList.Build(I(0, 0xffff), [R(0, 0xfff, ResvType.DirectRelaxable)]));

    [Theory]
    [InlineData(ResvType.Direct)]
    [InlineData(ResvType.Reserved)]
    [InlineData(ResvType.Msi)]
    [InlineData(ResvType.SwMsi)]
    public void Every_other_type_is_excluded(ResvType type) =>
        Assert.Equal([I(0, 0xfff), I(0x2000, 0xffff)], ValidIovaList.Build(I(0, 0xffff), [R(0x1000, 0x1fff, type)]));

    [Fact]
    public void A_region_covering_everything_leaves_nothing() =>
        Assert.Empty(ValidIovaList.Build(I(0x1000, 0x1fff), [R(0, ulong.MaxValue, ResvType.Reserved)]));

    [Fact]
    public void The_whole_u64_space_minus_the_top_page() =>
        Assert.Equal([I(0, 0xffff_ffff_ffff_efff)], ValidIovaList.Build(I(0, ulong.MaxValue), [R(0xffff_ffff_ffff_f000, ulong.MaxValue, ResvType.Reserved)]));

    [Theory]
    [InlineData(IovaListRules.Intersect)]
    [InlineData(IovaListRules.AperResize)]
    public void Resizing_keeps_only_the_aperture(IovaListRules rules) =>
        Assert.Equal([I(0x1800, 0x1fff), I(0x3000, 0x37ff)], ValidIovaList.Resize([I(0, 0xfff), I(0x1000, 0x1fff), I(0x3000, 0x3fff)], I(0x1800, 0x37ff), rules));

    [Theory]
    [InlineData(IovaListRules.Intersect)]
    [InlineData(IovaListRules.AperResize)]
    public void An_empty_list_becomes_the_aperture_even_a_one_address_one(IovaListRules rules) =>
        Assert.Equal([I(0x1fff, 0x1fff)], ValidIovaList.Resize([], I(0x1fff, 0x1fff), rules));

    [Fact]
    public void The_ideal_clip_keeps_a_single_address_where_the_aperture_starts_at_a_range_end() =>
        Assert.Equal([I(0x1fff, 0x1fff)], ValidIovaList.Resize([I(0x1000, 0x1fff)], I(0x1fff, 0x5000), IovaListRules.Intersect));

    [Fact]
    public void The_kernel_deletes_a_node_the_aperture_meets_in_one_address_at_either_edge()
    {
        Assert.Empty(ValidIovaList.Resize([I(0, 0xffff_ffff)], I(0xffff_ffff, 0x1_ffff_ffff), IovaListRules.AperResize));
        Assert.Equal([I(0x3000, 0x3fff)], ValidIovaList.Resize([I(0x1000, 0x1fff), I(0x3000, 0x3fff)], I(0x1fff, 0x5000), IovaListRules.AperResize));
        Assert.Equal([I(0x1000, 0x1fff)], ValidIovaList.Resize([I(0x1000, 0x1fff), I(0x3000, 0x3fff)], I(0, 0x3000), IovaListRules.AperResize));
    }

    [Fact]
    public void The_Arm_platform_leaves_two_ranges_around_the_msi_window() =>
        Assert.Equal(
            [I(0, 0x7ffffff), I(0x8100000, 0xffff_ffff_ffff)],
            ValidIovaList.Build(ReferencePlatform.ArmSmmuV3.Aperture, ReferencePlatform.ArmSmmuV3.ResvRegions));

    [Fact]
    public void The_Intel_platform_keeps_the_ISA_range_and_cuts_the_RMRR_and_msi() =>
        Assert.Equal(
            [I(0, 0x3e2dffff), I(0x3e300000, 0xfedfffff), I(0xfef00000, 0x7f_ffff_ffff)],
            ValidIovaList.Build(ReferencePlatform.IntelVtd.Aperture, ReferencePlatform.IntelVtd.ResvRegions));

    [Fact]
    public void The_AMD_platform_cuts_msi_and_HyperTransport() =>
        Assert.Equal(
            [I(0, 0xfedfffff), I(0xfef00000, 0xfc_ffff_ffff), I(0x100_0000_0000, 0xffff_ffff_ffff)],
            ValidIovaList.Build(ReferencePlatform.AmdVi.Aperture, ReferencePlatform.AmdVi.ResvRegions));

    [Fact]
    public void The_iommufd_mock_window_lies_outside_its_aperture() =>
        Assert.Equal(
            [I(0x1000000, 0x7fffffff)],
            ValidIovaList.Build(ReferencePlatform.IommufdMock.Aperture, ReferencePlatform.IommufdMock.ResvRegions));
}
