using Harness.Model;
using Xunit;

namespace Harness.Tests.Contracts;

/// <summary>What iommu_map and iommu_unmap do over io-pgtable-arm, as read in v6.1 and v6.12 (docs/SPEC.md §6), against the ideal rules, for the model's table and the implementation's.</summary>
public abstract class ArmLpaeContract
{
    private const IommuProt ReadWrite = IommuProt.Read | IommuProt.Write;
    protected static readonly IoPgtableConfig Arm4K = new(IoPgtableConfig.Size4K, 48, oas: 48);

    /// <summary>The profile's table over <see cref="Arm4K"/>.</summary>
    protected abstract IIoPageTable Table(KernelProfile profile);

    private static string Translation(IIoPageTable table, ulong iova) => table.Translate(iova, out ulong phys, out _) ? $"0x{phys:x}" : "faults";

    [Fact]
    public void A_block_replaces_a_table_that_still_holds_a_page()
    {
        var linux = Table(KernelProfiles.Linux612);
        Assert.Equal(Errno.Ok, linux.Map(0x1000, 0x5000, 0x1000, ReadWrite));
        Assert.Equal(Errno.Ok, linux.Map(0, 0x4000_0000, 0x20_0000, ReadWrite));
        Assert.Equal("0x40001000", Translation(linux, 0x1000));

        var ideal = Table(KernelProfiles.Ideal);
        Assert.Equal(Errno.Ok, ideal.Map(0x1000, 0x5000, 0x1000, ReadWrite));
        Assert.Equal(Errno.EEXIST, ideal.Map(0, 0x4000_0000, 0x20_0000, ReadWrite));
    }

    [Fact]
    public void Unmapping_a_block_over_a_table_clears_the_whole_table()
    {
        var linux = Table(KernelProfiles.Linux61);
        linux.Map(0x1000, 0x5000, 0x1000, ReadWrite);
        Assert.Equal(0x20_0000UL, linux.Unmap(0, 0x20_0000));
        Assert.Equal("faults", Translation(linux, 0x1000));

        var ideal = Table(KernelProfiles.Ideal);
        ideal.Map(0x1000, 0x5000, 0x1000, ReadWrite);
        Assert.Equal(0UL, ideal.Unmap(0, 0x20_0000));
    }

    [Fact]
    public void Part_of_a_block_splits_before_v6_13_and_unmaps_nothing_since()
    {
        var split = Table(KernelProfiles.Linux612);
        split.Map(0, 0x20_0000, 0x20_0000, ReadWrite);
        Assert.Equal(0x1000UL, split.Unmap(0x1000, 0x1000));
        Assert.Equal("faults", Translation(split, 0x1000));
        Assert.Equal("0x202000", Translation(split, 0x2000));

        var noSplit = Table(KernelProfiles.Linux618);
        noSplit.Map(0, 0x20_0000, 0x20_0000, ReadWrite);
        Assert.Equal(0UL, noSplit.Unmap(0x1000, 0x1000));
        Assert.Equal("0x201000", Translation(noSplit, 0x1000));
    }

    [Fact]
    public void The_range_is_checked_before_the_prot_and_a_zero_size_maps_nothing()
    {
        var linux = Table(KernelProfiles.Linux612);
        Assert.Equal(Errno.ERANGE, linux.Map(1UL << 48, 0, 0x1000, IommuProt.None));
        Assert.Equal(Errno.Ok, linux.Map(0x1000, 0x1000, 0, ReadWrite));

        var ideal = Table(KernelProfiles.Ideal);
        Assert.Equal(Errno.EINVAL, ideal.Map(1UL << 48, 0, 0x1000, IommuProt.None));
        Assert.Equal(Errno.EINVAL, ideal.Map(0x1000, 0x1000, 0, ReadWrite));
    }

    [Fact]
    public void A_map_that_fails_part_way_unmaps_what_it_mapped()
    {
        var linux = Table(KernelProfiles.Linux612);
        Assert.Equal(Errno.Ok, linux.Map(0x3000, 0x9000, 0x1000, ReadWrite));
        Assert.Equal(Errno.EEXIST, linux.Map(0x1000, 0x7000, 0x3000, ReadWrite));
        Assert.Equal("faults", Translation(linux, 0x1000));
        Assert.Equal("0x9000", Translation(linux, 0x3000));
    }

    [Fact]
    public void Iova_to_phys_drops_the_bits_above_ias_and_reads_phys_0_as_no_translation()
    {
        var linux = Table(KernelProfiles.Linux612);
        linux.Map(0x1000, 0x7000, 0x1000, ReadWrite);
        linux.Map(0x2000, 0, 0x1000, ReadWrite);
        Assert.Equal("0x7000", Translation(linux, 0x1000 | (1UL << 48)));
        Assert.Equal("faults", Translation(linux, 0x2000));
    }

    [Theory]
    [InlineData(0x1ff000UL, 0x1ff000UL, 0x401000UL, 0x1000UL, 1UL)]
    [InlineData(0x200000UL, 0x200000UL, 0x400000UL, 0x200000UL, 2UL)]
    [InlineData(0x200000UL, 0x201000UL, 0x400000UL, 0x1000UL, 0x400UL)]
    [InlineData(0UL, 0UL, 0x4000_0000UL, 0x4000_0000UL, 1UL)]
    public void Iommu_pgsize_takes_the_largest_aligned_size_up_to_the_next_boundary(ulong iova, ulong paddr, ulong size, ulong pgsize, ulong count) =>
        Assert.Equal((pgsize, count), IommuPgsize.Next(0x1000 | 0x20_0000 | 0x4000_0000, iova, paddr, size));
}

public sealed class ModelArmLpaeTests : ArmLpaeContract
{
    protected override IIoPageTable Table(KernelProfile profile) => profile.CreatePageTable(Arm4K);
}

public sealed class ArmLpaePgtableTests : ArmLpaeContract
{
    protected override IIoPageTable Table(KernelProfile profile) => Harness.Implementation.IoPageTables.Create(Arm4K, profile);
}
