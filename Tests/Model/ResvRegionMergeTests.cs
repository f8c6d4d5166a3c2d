using Harness.Implementation;
using Harness.Model;
using Xunit;

namespace Harness.Tests.Model;

/// <summary>docs/SPEC.md §1 "Group merge" (iommu_insert_resv_region, v5.4+).</summary>
public sealed class ResvRegionMergeTests
{
    private static ResvRegion R(ulong start, ulong last, ResvType type, IommuProt prot = IommuProt.None) =>
        new(new IovaRange(start, last), prot, type);

    [Fact]
    public void ResvType_values_are_the_kernel_enum()
    {
        Assert.Equal(0, (int)ResvType.Direct);
        Assert.Equal(1, (int)ResvType.DirectRelaxable);
        Assert.Equal(2, (int)ResvType.Reserved);
        Assert.Equal(3, (int)ResvType.Msi);
        Assert.Equal(4, (int)ResvType.SwMsi);
    }

    [Fact]
    public void Merged_list_is_sorted_by_start_then_type()
    {
        var merged = ResvRegionMerge.Merge([
            R(0x5000, 0x5fff, ResvType.Msi),
            R(0x1000, 0x1fff, ResvType.Reserved),
            R(0x1000, 0x1fff, ResvType.Direct),
            R(0x3000, 0x3fff, ResvType.SwMsi),
        ]);

        Assert.Equal(
            [R(0x1000, 0x1fff, ResvType.Direct), R(0x1000, 0x1fff, ResvType.Reserved), R(0x3000, 0x3fff, ResvType.SwMsi), R(0x5000, 0x5fff, ResvType.Msi)],
            merged);
    }

    [Fact]
    public void Overlapping_regions_of_the_same_type_become_one()
    {
        var merged = ResvRegionMerge.Merge([R(0x1000, 0x2fff, ResvType.Reserved), R(0x2000, 0x4fff, ResvType.Reserved)]);
        Assert.Equal([R(0x1000, 0x4fff, ResvType.Reserved)], merged);
    }

    [Fact]
    public void Touching_regions_of_the_same_type_become_one()
    {
        var merged = ResvRegionMerge.Merge([R(0x3000, 0x3fff, ResvType.Direct), R(0x1000, 0x2fff, ResvType.Direct)]);
        Assert.Equal([R(0x1000, 0x3fff, ResvType.Direct)], merged);
    }

    [Fact]
    public void A_gap_of_one_address_keeps_same_type_regions_apart()
    {
        var merged = ResvRegionMerge.Merge([R(0x1000, 0x1ffe, ResvType.Direct), R(0x2000, 0x2fff, ResvType.Direct)]);
        Assert.Equal(2, merged.Count);
    }

    [Fact]
    public void Regions_of_different_types_never_merge_even_when_overlapping()
    {
        var merged = ResvRegionMerge.Merge([R(0x1000, 0x4fff, ResvType.Reserved), R(0x2000, 0x2fff, ResvType.Msi), R(0x5000, 0x5fff, ResvType.Msi)]);
        Assert.Equal([R(0x1000, 0x4fff, ResvType.Reserved), R(0x2000, 0x2fff, ResvType.Msi), R(0x5000, 0x5fff, ResvType.Msi)], merged);
    }

    [Fact]
    public void The_lower_region_survives_a_merge_with_its_prot()
    {
        var merged = ResvRegionMerge.Merge([R(0x2000, 0x2fff, ResvType.Direct, IommuProt.Read), R(0x1000, 0x2fff, ResvType.Direct, IommuProt.Write)]);
        Assert.Equal([R(0x1000, 0x2fff, ResvType.Direct, IommuProt.Write)], merged);
    }

    [Fact]
    public void With_equal_start_and_type_the_newcomer_goes_first_and_keeps_its_prot()
    {
        var merged = ResvRegionMerge.Merge([R(0x1000, 0x1fff, ResvType.Direct, IommuProt.Read), R(0x1000, 0x3fff, ResvType.Direct, IommuProt.Write)]);
        Assert.Equal([R(0x1000, 0x3fff, ResvType.Direct, IommuProt.Write)], merged);
    }

    [Fact]
    public void Ideal_a_region_ending_at_2_pow_64_minus_1_merges_without_wrapping()
    {
        var merged = ResvRegionMerge.Merge([R(0x1000, ulong.MaxValue, ResvType.Reserved), R(0x2000, 0x2fff, ResvType.Reserved)], KernelProfiles.Ideal);
        Assert.Equal([R(0x1000, ulong.MaxValue, ResvType.Reserved)], merged);
    }

    [Theory]
    [MemberData(nameof(LinuxProfiles))]
    public void Linux_nothing_joins_a_region_ending_at_2_pow_64_minus_1(string profile)
    {
        // top_end + 1 wraps to 0, so iter->start > 0 pushes the region inside it as a second entry.
        var merged = ResvRegionMerge.Merge([R(0x1000, ulong.MaxValue, ResvType.Reserved), R(0x2000, 0x2fff, ResvType.Reserved)], KernelProfiles.Named(profile));
        Assert.Equal([R(0x1000, ulong.MaxValue, ResvType.Reserved), R(0x2000, 0x2fff, ResvType.Reserved)], merged);
    }

    [Theory]
    [MemberData(nameof(LinuxProfiles))]
    public void Linux_the_list_depends_on_the_order_of_insertion(string profile)
    {
        // [0, 0xa] absorbs [5, top]; [3, 4] then comes after a region ending at the top and stays.
        // Given first, [3, 4] joins [0, 0xa] before [5, top] does, and one region remains.
        var linux = KernelProfiles.Named(profile);
        ResvRegion low = R(0, 0xa, ResvType.Direct), top = R(5, ulong.MaxValue, ResvType.Direct), inner = R(3, 4, ResvType.Direct);
        Assert.Equal([R(0, ulong.MaxValue, ResvType.Direct), inner], ResvRegionMerge.Merge([low, top, inner], linux));
        Assert.Equal([R(0, ulong.MaxValue, ResvType.Direct)], ResvRegionMerge.Merge([low, inner, top], linux));
        Assert.Equal([R(0, ulong.MaxValue, ResvType.Direct), inner], ResvRegionUnion.Merge([low, top, inner], linux.ResvMerge));
        Assert.Equal([R(0, ulong.MaxValue, ResvType.Direct)], ResvRegionUnion.Merge([low, inner, top], linux.ResvMerge));
    }

    [Fact]
    public void A_region_after_one_ending_at_the_top_is_absorbed()
    {
        var merged = ResvRegionMerge.Merge([R(0xffff_ffff_ffff_f000, ulong.MaxValue, ResvType.Msi), R(0xffff_ffff_ffff_f000, 0xffff_ffff_ffff_ffff, ResvType.Msi)]);
        Assert.Equal([R(0xffff_ffff_ffff_f000, ulong.MaxValue, ResvType.Msi)], merged);
    }

    [Fact]
    public void A_chain_of_touching_regions_collapses_into_one()
    {
        var merged = ResvRegionMerge.Merge([R(0x4000, 0x4fff, ResvType.SwMsi), R(0x1000, 0x1fff, ResvType.SwMsi), R(0x3000, 0x3fff, ResvType.SwMsi), R(0x2000, 0x2fff, ResvType.SwMsi)]);
        Assert.Equal([R(0x1000, 0x4fff, ResvType.SwMsi)], merged);
    }

    [Theory]
    [MemberData(nameof(PlatformNames))]
    public void Merging_a_reference_platform_with_itself_is_idempotent(string name)
    {
        var platform = ReferencePlatform.All.Single(p => p.Name == name);
        var merged = ResvRegionMerge.Merge(platform.ResvRegions.Concat(platform.ResvRegions));
        Assert.Equal(platform.ResvRegions, merged);
    }

    public static TheoryData<string> LinuxProfiles() => new(KernelProfiles.All.Where(p => p != KernelProfiles.Ideal).Select(p => p.Name));

    public static TheoryData<string> PlatformNames() => new(ReferencePlatform.All.Select(p => p.Name));
}
