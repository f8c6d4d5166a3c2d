using Harness.Model;
using Xunit;

namespace Harness.Tests.Contracts;

/// <summary>
/// docs/SPEC.md §2 and §4, as tests any <see cref="IVfioContainer"/> must pass: the model, the
/// optimized implementation, or a user's own. Each test is named after the rule it checks.
/// </summary>
public abstract class ContainerContract
{
    protected const ulong Sizes4K2M1G = 0x1000 | 0x200000 | 0x40000000;
    protected const ulong Page = 0x1000;

    protected abstract IVfioContainer Create(InfoLayout layout = InfoLayout.Type1V66, uint dmaEntryLimit = Vfio.DefaultDmaEntryLimit, IovaListRules listRules = IovaListRules.AperResize, FindDmaRules findDma = FindDmaRules.Inclusive);

    protected static ResvRegion R(ulong start, ulong last, ResvType type) => new(new IovaRange(start, last), IommuProt.None, type);

    protected static IommuGroup Group(int id, ulong apStart, ulong apLast, ulong pgsizes = Sizes4K2M1G, bool isolated = true, params ResvRegion[] regions) =>
        new(id, new IovaRange(apStart, apLast), pgsizes, regions, isolated);

    protected IVfioContainer Attached(params IommuGroup[] groups) => Attached(IovaListRules.AperResize, groups);

    protected IVfioContainer Attached(IovaListRules listRules, params IommuGroup[] groups)
    {
        var container = Create(listRules: listRules);
        foreach (var group in groups)
            Assert.Equal(Errno.Ok, container.AttachGroup(group));
        return container;
    }

    protected static void AssertUnchanged(IVfioContainer container, Func<Errno> call, Errno expected)
    {
        var before = container.State;
        Assert.Equal(expected, call());
        Assert.Equal(before, container.State);
    }

    // ---- page sizes ----

    [Fact]
    public void Pgsizes_are_the_AND_of_every_group()
    {
        var container = Attached(Group(1, 0, 0xffff_ffff, Sizes4K2M1G), Group(2, 0, 0xffff_ffff, 0x1000 | 0x200000));
        Assert.Equal(0x1000UL | 0x200000, container.State.IovaPgsizes);
    }

    [Fact]
    public void Pgsizes_below_PAGE_SIZE_are_hidden_and_PAGE_SIZE_claimed()
    {
        var container = Attached(ReferencePlatform.IommufdMock.Group(1));
        Assert.Equal(0x1000UL, container.State.IovaPgsizes);
    }

    [Fact]
    public void Pgsizes_without_small_pages_keep_their_minimum()
    {
        var container = Attached(Group(1, 0, 0xffff_ffff, 0x10000 | 0x20000000));
        Assert.Equal(0x10000UL | 0x20000000, container.State.IovaPgsizes);
        Assert.Equal(Errno.EINVAL, container.MapDma(0x1000, 0x1000, 0x1000, DmaMapFlags.Read));
        Assert.Equal(Errno.Ok, container.MapDma(0x10000, 0x10000, 0x10000, DmaMapFlags.Read));
    }

    [Fact]
    public void Attach_fails_when_groups_share_no_page_size()
    {
        var container = Attached(Group(1, 0, 0xffff_ffff, 0x10000));
        AssertUnchanged(container, () => container.AttachGroup(Group(2, 0, 0xffff_ffff, 0x200000)), Errno.EINVAL);
    }

    // ---- attach: checks in order, all or nothing ----

    [Fact]
    public void Attach_step1_a_group_already_attached_is_EINVAL()
    {
        var container = Attached(ReferencePlatform.ArmSmmuV3.Group(7));
        AssertUnchanged(container, () => container.AttachGroup(ReferencePlatform.AmdVi.Group(7)), Errno.EINVAL);
    }

    [Fact]
    public void Attach_step2_an_aperture_disjoint_from_the_list_is_EINVAL()
    {
        var container = Attached(Group(1, 0, 0xffff_ffff));
        AssertUnchanged(container, () => container.AttachGroup(Group(2, 0x1_0000_0000, 0x1_ffff_ffff)), Errno.EINVAL);
    }

    [Fact]
    public void Attach_step2_a_mapping_outside_the_new_aperture_is_EINVAL()
    {
        var container = Attached(Group(1, 0, 0xffff_ffff));
        Assert.Equal(Errno.Ok, container.MapDma(0x1000_0000, Page, 0x5000, DmaMapFlags.Read));
        AssertUnchanged(container, () => container.AttachGroup(Group(2, 0x2000_0000, 0xffff_ffff)), Errno.EINVAL);
    }

    [Fact]
    public void Attach_step2_a_narrower_aperture_still_covering_every_mapping_is_fine()
    {
        var container = Attached(Group(1, 0, 0xffff_ffff));
        Assert.Equal(Errno.Ok, container.MapDma(0x1000_0000, Page, 0x5000, DmaMapFlags.Read));
        Assert.Equal(Errno.Ok, container.AttachGroup(Group(2, 0x1000_0000, 0x1fff_ffff)));
        Assert.Equal([new IovaRange(0x1000_0000, 0x1fff_ffff)], container.State.ValidIovas);
    }

    [Fact]
    public void Attach_step3_a_reserved_region_over_a_mapping_is_EINVAL()
    {
        var container = Attached(Group(1, 0, 0xffff_ffff));
        Assert.Equal(Errno.Ok, container.MapDma(0xfee0_0000, Page, 0x5000, DmaMapFlags.Write));
        AssertUnchanged(container, () => container.AttachGroup(ReferencePlatform.IntelVtd.Group(2)), Errno.EINVAL);
    }

    [Fact]
    public void Attach_step3_a_direct_relaxable_region_over_a_mapping_is_ignored()
    {
        var container = Attached(Group(1, 0, 0xffff_ffff));
        Assert.Equal(Errno.Ok, container.MapDma(0x10_0000, Page, 0x5000, DmaMapFlags.Write));
        Assert.Equal(Errno.Ok, container.AttachGroup(Group(2, 0, 0xffff_ffff, regions: R(0, 0xffffff, ResvType.DirectRelaxable))));
    }

    [Fact]
    public void Attach_step4_the_list_is_the_old_list_clipped_minus_the_group_regions()
    {
        var container = Attached(ReferencePlatform.ArmSmmuV3.Group(1), Group(2, 0x1000, 0xffff_ffff, regions: R(0xfee0_0000, 0xfeef_ffff, ResvType.Msi)));
        Assert.Equal(
            [new IovaRange(0x1000, 0x7ff_ffff), new IovaRange(0x810_0000, 0xfedf_ffff), new IovaRange(0xfef0_0000, 0xffff_ffff)],
            container.State.ValidIovas);
    }

    [Fact]
    public void Attach_step4_ideal_apertures_sharing_one_address_leave_that_address()
    {
        var container = Attached(IovaListRules.Intersect, Group(1, 0, 0x1000), Group(2, 0x1000, 0xffff_ffff));
        Assert.Equal([new IovaRange(0x1000, 0x1000)], container.State.ValidIovas);
        container = Attached(IovaListRules.Intersect, Group(1, 0x1000, 0xffff_ffff), Group(2, 0, 0x1000));
        Assert.Equal([new IovaRange(0x1000, 0x1000)], container.State.ValidIovas);
    }

    [Theory]
    [InlineData(IovaListRules.Intersect)]
    [InlineData(IovaListRules.AperResize)]
    public void Attach_step4_a_first_one_address_aperture_is_the_list(IovaListRules rules) =>
        Assert.Equal([new IovaRange(ulong.MaxValue, ulong.MaxValue)], Attached(rules, Group(1, ulong.MaxValue, ulong.MaxValue)).State.ValidIovas);

    [Fact]
    public void Attach_step4_linux_deletes_a_range_the_new_aperture_meets_in_one_address()
    {
        var container = Attached(Group(1, 0, 0xffff_ffff));
        AssertUnchanged(container, () => container.AttachGroup(Group(2, 0xffff_ffff, 0x1_ffff_ffff)), Errno.EINVAL);
        container = Attached(Group(1, 0x1000, 0xffff_ffff));
        AssertUnchanged(container, () => container.AttachGroup(Group(2, 0, 0x1000)), Errno.EINVAL);
        container = Attached(Group(1, 0, 0xffff_ffff, regions: R(0x2000, 0x2fff, ResvType.Reserved)));
        Assert.Equal(Errno.Ok, container.AttachGroup(Group(2, 0x1fff, 0xffff_ffff)));
        Assert.Equal([new IovaRange(0x3000, 0xffff_ffff)], container.State.ValidIovas);
    }

    [Fact]
    public void Attach_step4_a_region_starting_at_the_list_end_removes_that_address()
    {
        var container = Attached(Group(1, 0, 0x1000, regions: R(0x1000, 0x1fff, ResvType.Reserved)));
        Assert.Equal([new IovaRange(0, 0xfff)], container.State.ValidIovas);
    }

    [Fact]
    public void Attach_step4_a_region_ending_where_the_list_starts_removes_that_address()
    {
        var container = Attached(Group(1, 0x1000, 0xffff_ffff), Group(2, 0, 0xffff_ffff, regions: R(0, 0x1000, ResvType.Reserved)));
        Assert.Equal([new IovaRange(0x1001, 0xffff_ffff)], container.State.ValidIovas);
    }

    [Fact]
    public void Attach_step4_an_empty_list_is_EINVAL()
    {
        var container = Create();
        AssertUnchanged(container, () => container.AttachGroup(Group(1, 0x1000, 0x1fff, regions: R(0, 0xffff, ResvType.Reserved))), Errno.EINVAL);
    }

    [Fact]
    public void Attach_step5_an_unisolated_group_is_EPERM()
    {
        var container = Create();
        AssertUnchanged(container, () => container.AttachGroup(Group(1, 0, 0xffff_ffff, isolated: false)), Errno.EPERM);
    }

    [Fact]
    public void Attach_step5_allow_unsafe_interrupts_admits_an_unisolated_group()
    {
        var container = Create();
        container.AllowUnsafeInterrupts = true;
        Assert.Equal(Errno.Ok, container.AttachGroup(Group(1, 0, 0xffff_ffff, isolated: false)));
    }

    [Fact]
    public void Attach_checks_the_list_before_isolation()
    {
        var container = Create();
        Assert.Equal(Errno.EINVAL, container.AttachGroup(Group(1, 0x1000, 0x1fff, isolated: false, regions: R(0, 0xffff, ResvType.Reserved))));
    }

    [Theory]
    [MemberData(nameof(Platforms))]
    public void Attach_step6_commits_list_and_pgsizes_for_each_reference_platform(string name)
    {
        var platform = ReferencePlatform.All.Single(p => p.Name == name);
        var state = Attached(platform.Group(3)).State;
        Assert.Equal([3], state.Groups);
        Assert.Equal(ValidIovaList.Build(platform.Aperture, platform.ResvRegions), state.ValidIovas);
        Assert.Equal(Vfio.DefaultDmaEntryLimit, state.DmaAvail);
        Assert.Empty(state.Mappings);
    }

    public static TheoryData<string> Platforms() => new(ReferencePlatform.All.Select(p => p.Name));

    // ---- detach ----

    [Fact]
    public void Detach_an_unknown_group_is_EINVAL()
    {
        var container = Attached(ReferencePlatform.ArmSmmuV3.Group(1));
        AssertUnchanged(container, () => container.DetachGroup(2), Errno.EINVAL);
    }

    [Fact]
    public void Detach_rebuilds_the_list_from_the_remaining_groups()
    {
        var container = Attached(ReferencePlatform.ArmSmmuV3.Group(1), Group(2, 0x1000, 0xffff_ffff, 0x1000, regions: R(0xfee0_0000, 0xfeef_ffff, ResvType.Msi)));
        Assert.Equal(Errno.Ok, container.MapDma(0x2000, Page, 0x2000, DmaMapFlags.Read));
        Assert.Equal(Errno.Ok, container.DetachGroup(2));
        var state = container.State;
        Assert.Equal([new IovaRange(0, 0x7ff_ffff), new IovaRange(0x810_0000, 0xffff_ffff_ffff)], state.ValidIovas);
        Assert.Equal(Sizes4K2M1G, state.IovaPgsizes);
        Assert.Single(state.Mappings);
    }

    [Fact]
    public void Detach_linux_a_shared_domain_keeps_the_list_ends_the_detached_group_cut()
    {
        var a = Group(1, 0, 0xffff_ffff) with { Domain = 1 };
        var b = Group(2, 0, 0xffff_ffff, regions: R(0, 0xf_ffff, ResvType.Direct)) with { Domain = 1 };
        var container = Attached(a, b);
        Assert.Equal(Errno.Ok, container.DetachGroup(2));
        Assert.Equal([new IovaRange(0x10_0000, 0xffff_ffff)], container.State.ValidIovas);
        Assert.Equal(Errno.EINVAL, container.MapDma(0, Page, 0, DmaMapFlags.Read));

        container = Attached(IovaListRules.Intersect, a, b);
        Assert.Equal(Errno.Ok, container.DetachGroup(2));
        Assert.Equal(Errno.Ok, container.MapDma(0, Page, 0, DmaMapFlags.Read));
    }

    [Fact]
    public void Detach_linux_a_domain_that_goes_away_widens_the_list_to_the_domains_left()
    {
        var container = Attached(Group(1, 0, 0xffff_ffff), Group(2, 0, 0xffff_ffff, regions: R(0, 0xf_ffff, ResvType.Direct)));
        Assert.Equal(Errno.Ok, container.DetachGroup(2));
        Assert.Equal([new IovaRange(0, 0xffff_ffff)], container.State.ValidIovas);
    }

    [Fact]
    public void Detach_linux_a_shared_domain_keeps_the_geometry_of_the_group_that_made_it()
    {
        var container = Attached(Group(1, 0, 0xffff_ffff, 0x1000) with { Domain = 1 }, Group(2, 0x1000, 0xffff, Sizes4K2M1G) with { Domain = 1 }, Group(3, 0, 0xffff_ffff_ffff));
        Assert.Equal([new IovaRange(0x1000, 0xffff)], container.State.ValidIovas);
        Assert.Equal(0x1000UL, container.State.IovaPgsizes);
        Assert.Equal(Errno.Ok, container.DetachGroup(1));
        Assert.Equal([new IovaRange(0x1000, 0xffff)], container.State.ValidIovas);
        Assert.Equal(Errno.Ok, container.DetachGroup(3));
        Assert.Equal([new IovaRange(0, 0xffff_ffff)], container.State.ValidIovas);
        Assert.Equal(0x1000UL, container.State.IovaPgsizes);
    }

    [Fact]
    public void Attach_step2_before_v6_18_misses_a_mapping_above_the_aperture_when_the_list_ends_at_the_top()
    {
        foreach (var (rules, expected) in new[] { (FindDmaRules.SizeWraps, Errno.Ok), (FindDmaRules.Inclusive, Errno.EINVAL) })
        {
            var container = Create(findDma: rules);
            Assert.Equal(Errno.Ok, container.AttachGroup(Group(1, 0, ulong.MaxValue)));
            Assert.Equal(Errno.Ok, container.MapDma(0x1_0000_0000, Page, 0, DmaMapFlags.Read));
            Assert.Equal(expected, container.AttachGroup(Group(2, 0, 0xffff_ffff)));
        }
    }

    [Fact]
    public void Attach_step3_before_v6_18_misses_a_mapping_under_a_region_ending_at_the_top()
    {
        foreach (var (rules, expected) in new[] { (FindDmaRules.SizeWraps, Errno.Ok), (FindDmaRules.Inclusive, Errno.EINVAL) })
        {
            var container = Create(findDma: rules);
            Assert.Equal(Errno.Ok, container.AttachGroup(Group(1, 0, ulong.MaxValue)));
            Assert.Equal(Errno.Ok, container.MapDma(0x2000, Page, 0, DmaMapFlags.Read));
            Assert.Equal(expected, container.AttachGroup(Group(2, 0, ulong.MaxValue, regions: R(0x1000, ulong.MaxValue, ResvType.Msi))));
        }
    }

    [Fact]
    public void Attach_step0_an_invalidated_vaddr_is_EBUSY()
    {
        var container = Attached(Group(1, 0, 0xffff_ffff));
        Assert.Equal(Errno.Ok, container.MapDma(0x1000, Page, 0x1000, DmaMapFlags.Read));
        Assert.Equal(Errno.Ok, container.UnmapDma(0x1000, Page, DmaUnmapFlags.Vaddr, out _));
        AssertUnchanged(container, () => container.AttachGroup(Group(1, 0, 0xffff_ffff)), Errno.EBUSY);
        Assert.Equal(Errno.Ok, container.MapDma(0x1000, Page, 0x5000, DmaMapFlags.Vaddr));
        Assert.Equal(Errno.Ok, container.AttachGroup(Group(2, 0, 0xffff_ffff)));
    }

    [Fact]
    public void Detach_of_the_last_group_unmaps_everything_and_releases_the_IOMMU()
    {
        var container = Attached(ReferencePlatform.AmdVi.Group(1));
        Assert.Equal(Errno.Ok, container.MapDma(0x10_0000, 0x20_0000, 0x4000_0000, DmaMapFlags.Read | DmaMapFlags.Write));
        Assert.Equal(Errno.Ok, container.DetachGroup(1));

        var state = container.State;
        Assert.Empty(state.Mappings);
        Assert.Empty(state.ValidIovas);
        Assert.Equal(Vfio.DefaultDmaEntryLimit, state.DmaAvail);
        Assert.False(container.Translate(0x10_0000, out _, out _));
        Assert.Equal(Errno.EINVAL, container.MapDma(0x10_0000, Page, 0, DmaMapFlags.Read));
        Assert.Equal(Errno.EINVAL, container.UnmapDma(0, 0, DmaUnmapFlags.All, out _));
        var buffer = new byte[256];
        buffer[0] = 0xff;
        Assert.Equal(Errno.EINVAL, container.GetInfo(buffer));
        Assert.Equal(Errno.EINVAL, container.PrepareMsi(0x8000_0000, out _));
    }

    [Fact]
    public void Detach_then_reattach_starts_afresh()
    {
        var container = Attached(ReferencePlatform.ArmSmmuV3.Group(1));
        Assert.Equal(Errno.Ok, container.DetachGroup(1));
        Assert.Equal(Errno.Ok, container.AttachGroup(ReferencePlatform.IntelVtd.Group(1)));
        Assert.Equal(ValidIovaList.Build(ReferencePlatform.IntelVtd.Aperture, ReferencePlatform.IntelVtd.ResvRegions), container.State.ValidIovas);
    }

    [Fact]
    public void Detach_then_reattach_maps_a_known_doorbell_afresh()
    {
        var container = Attached(ReferencePlatform.ArmSmmuV3.Group(1));
        Assert.Equal(Errno.Ok, container.PrepareMsi(0x2f02_0040, out _));
        Assert.Equal(Errno.Ok, container.DetachGroup(1));
        Assert.Equal(Errno.Ok, container.AttachGroup(ReferencePlatform.ArmSmmuV3.Group(1)));
        Assert.Equal(Errno.Ok, container.PrepareMsi(0x2f02_0040, out ulong iova));
        Assert.Equal(0x800_0040UL, iova);
        Assert.Equal([new MsiPage(0x2f02_0000, 0x800_0000)], container.State.MsiPages);
        Assert.True(container.Translate(iova, out ulong phys, out _));
        Assert.Equal(0x2f02_0040UL, phys);
    }

    // ---- MAP_DMA, in check order ----

    [Fact]
    public void Map_step1_without_an_IOMMU_is_EINVAL() =>
        Assert.Equal(Errno.EINVAL, Create().MapDma(0, Page, 0, DmaMapFlags.Read));

    [Theory]
    [InlineData(DmaMapFlags.None)]
    [InlineData(DmaMapFlags.Vaddr | DmaMapFlags.Read)]
    [InlineData(DmaMapFlags.Read | (DmaMapFlags)8)]
    public void Map_step1_neither_or_both_of_prot_and_vaddr_or_unknown_bits_is_EINVAL(DmaMapFlags flags)
    {
        var container = Attached(ReferencePlatform.AmdVi.Group(1));
        AssertUnchanged(container, () => container.MapDma(0x10_0000, Page, 0, flags), Errno.EINVAL);
    }

    [Theory]
    [InlineData(0x10_0000UL, 0UL, 0UL)]
    [InlineData(0x10_0800UL, 0x1000UL, 0UL)]
    [InlineData(0x10_0000UL, 0x1800UL, 0UL)]
    [InlineData(0x10_0000UL, 0x1000UL, 0x800UL)]
    public void Map_step2_zero_size_or_unaligned_iova_size_vaddr_is_EINVAL(ulong iova, ulong size, ulong vaddr)
    {
        var container = Attached(ReferencePlatform.AmdVi.Group(1));
        AssertUnchanged(container, () => container.MapDma(iova, size, vaddr, DmaMapFlags.Read), Errno.EINVAL);
    }

    private IVfioContainer AttachedWhole(FindDmaRules findDma)
    {
        var container = Create(findDma: findDma);
        Assert.Equal(Errno.Ok, container.AttachGroup(Group(1, 0, ulong.MaxValue)));
        return container;
    }

    /// <summary>Before v6.18 a wrap is one more EINVAL; v6.18 checks it right after <c>size == 0</c>, as EOVERFLOW, before prot and alignment.</summary>
    [Theory]
    [InlineData(0xffff_ffff_ffff_f000UL, 0x2000UL, 0UL, DmaMapFlags.Read)]
    [InlineData(0UL, 0x2000UL, 0xffff_ffff_ffff_f000UL, DmaMapFlags.Read)]
    [InlineData(0xffff_ffff_ffff_f000UL, 0x2000UL, 0UL, DmaMapFlags.None)]
    [InlineData(0xffff_ffff_ffff_f000UL, 0x2000UL, 0UL, DmaMapFlags.Read | DmaMapFlags.Vaddr)]
    [InlineData(0xffff_ffff_ffff_f000UL, 0x1800UL, 0x800UL, DmaMapFlags.Write)]
    public void Map_step3_a_range_that_wraps_is_EINVAL_before_v6_18_and_EOVERFLOW_from_it(ulong iova, ulong size, ulong vaddr, DmaMapFlags flags)
    {
        foreach (var (rules, expected) in new[] { (FindDmaRules.SizeWraps, Errno.EINVAL), (FindDmaRules.Inclusive, Errno.EOVERFLOW) })
        {
            var container = AttachedWhole(rules);
            AssertUnchanged(container, () => container.MapDma(iova, size, vaddr, flags), expected);
        }
    }

    [Theory]
    [InlineData(0xffff_ffff_ffff_f000UL, 0UL, DmaMapFlags.Read)]
    [InlineData(0xffff_ffff_ffff_f000UL, 0x2000UL, (DmaMapFlags)8)]
    public void Map_a_zero_size_or_an_unknown_flag_is_EINVAL_before_any_wrap(ulong iova, ulong size, DmaMapFlags flags)
    {
        foreach (var rules in new[] { FindDmaRules.SizeWraps, FindDmaRules.Inclusive })
        {
            var container = AttachedWhole(rules);
            AssertUnchanged(container, () => container.MapDma(iova, size, 0, flags), Errno.EINVAL);
        }
    }

    [Fact]
    public void Map_step4_overlapping_an_existing_mapping_is_EEXIST()
    {
        var container = Attached(ReferencePlatform.AmdVi.Group(1));
        Assert.Equal(Errno.Ok, container.MapDma(0x10_0000, 0x4000, 0, DmaMapFlags.Read));
        AssertUnchanged(container, () => container.MapDma(0x10_3000, 0x2000, 0x10000, DmaMapFlags.Read), Errno.EEXIST);
    }

    [Fact]
    public void Map_checks_alignment_before_overlap()
    {
        var container = Attached(ReferencePlatform.AmdVi.Group(1));
        Assert.Equal(Errno.Ok, container.MapDma(0x10_0000, 0x4000, 0, DmaMapFlags.Read));
        Assert.Equal(Errno.EINVAL, container.MapDma(0x10_0000, 0x800, 0, DmaMapFlags.Read));
    }

    [Fact]
    public void Map_step5_no_dma_entries_left_is_ENOSPC_before_the_range_check()
    {
        var container = Create(dmaEntryLimit: 1);
        Assert.Equal(Errno.Ok, container.AttachGroup(ReferencePlatform.AmdVi.Group(1)));
        Assert.Equal(Errno.Ok, container.MapDma(0x10_0000, Page, 0, DmaMapFlags.Read));
        Assert.Equal(0u, container.State.DmaAvail);
        AssertUnchanged(container, () => container.MapDma(0x20_0000, Page, 0, DmaMapFlags.Read), Errno.ENOSPC);
        AssertUnchanged(container, () => container.MapDma(0xfee0_0000, Page, 0, DmaMapFlags.Read), Errno.ENOSPC);
        AssertUnchanged(container, () => container.MapDma(0x10_0000, Page, 0, DmaMapFlags.Read), Errno.EEXIST);
    }

    [Fact]
    public void Map_step6_a_range_inside_a_reserved_region_is_EINVAL()
    {
        var container = Attached(ReferencePlatform.AmdVi.Group(1));
        AssertUnchanged(container, () => container.MapDma(0xfee0_0000, Page, 0, DmaMapFlags.Write), Errno.EINVAL);
    }

    [Fact]
    public void Map_step6_a_range_crossing_a_hole_between_two_valid_ranges_is_EINVAL()
    {
        var container = Attached(ReferencePlatform.AmdVi.Group(1));
        AssertUnchanged(container, () => container.MapDma(0xfed0_0000, 0x30_0000, 0, DmaMapFlags.Write), Errno.EINVAL);
    }

    [Fact]
    public void Map_step6_a_range_past_the_aperture_is_EINVAL()
    {
        var container = Attached(Group(1, 0, 0xffff_ffff));
        AssertUnchanged(container, () => container.MapDma(0xffff_f000, 0x2000, 0, DmaMapFlags.Write), Errno.EINVAL);
    }

    [Fact]
    public void Map_step7_records_the_mapping_counts_it_and_translates_every_byte()
    {
        var container = Attached(ReferencePlatform.AmdVi.Group(1));
        Assert.Equal(Errno.Ok, container.MapDma(0x20_0000, 0x20_3000, 0x7000_0000, DmaMapFlags.Read | DmaMapFlags.Write));
        var state = container.State;
        Assert.Equal([new DmaMapping(0x20_0000, 0x20_3000, 0x7000_0000, DmaMapFlags.Read | DmaMapFlags.Write)], state.Mappings);
        Assert.Equal(Vfio.DefaultDmaEntryLimit - 1, state.DmaAvail);
        foreach (ulong offset in new ulong[] { 0, 1, 0xfff, 0x1000, 0x1f_ffff, 0x20_0000, 0x20_2fff })
        {
            Assert.True(container.Translate(0x20_0000 + offset, out ulong phys, out var prot));
            Assert.Equal(0x7000_0000 + offset, phys);
            Assert.Equal(IommuProt.Read | IommuProt.Write, prot);
        }

        Assert.False(container.Translate(0x1f_ffff, out _, out _));
        Assert.False(container.Translate(0x40_3000, out _, out _));
    }

    [Fact]
    public void Map_the_last_page_of_the_address_space()
    {
        var container = Attached(Group(1, 0, ulong.MaxValue));
        Assert.Equal(Errno.Ok, container.MapDma(0xffff_ffff_ffff_f000, Page, 0x1000, DmaMapFlags.Read));
        Assert.True(container.Translate(ulong.MaxValue, out ulong phys, out var prot));
        Assert.Equal(0x1fffUL, phys);
        Assert.Equal(IommuProt.Read, prot);
    }

    [Fact]
    public void Map_a_vaddr_range_ending_at_the_top_of_u64()
    {
        var container = Attached(Group(1, 0, ulong.MaxValue));
        Assert.Equal(Errno.Ok, container.MapDma(0x10_0000, Page, 0xffff_ffff_ffff_f000, DmaMapFlags.Read));
        Assert.True(container.Translate(0x10_0fff, out ulong phys, out _));
        Assert.Equal(ulong.MaxValue, phys);
    }

    // ---- UNMAP_DMA ----

    [Fact]
    public void Unmap_step1_ALL_requires_iova_and_size_zero()
    {
        var container = Attached(ReferencePlatform.AmdVi.Group(1));
        Assert.Equal(Errno.Ok, container.MapDma(0x10_0000, Page, 0, DmaMapFlags.Read));
        AssertUnchanged(container, () => container.UnmapDma(0x10_0000, 0, DmaUnmapFlags.All, out _), Errno.EINVAL);
        AssertUnchanged(container, () => container.UnmapDma(0, Page, DmaUnmapFlags.All, out _), Errno.EINVAL);
    }

    [Fact]
    public void Unmap_step1_ALL_unmaps_everything_and_returns_the_bytes()
    {
        var container = Attached(ReferencePlatform.AmdVi.Group(1));
        Assert.Equal(Errno.Ok, container.MapDma(0x10_0000, 0x3000, 0, DmaMapFlags.Read));
        Assert.Equal(Errno.Ok, container.MapDma(0x100_0000_0000, 0x20_0000, 0x20_0000, DmaMapFlags.Write));
        Assert.Equal(Errno.Ok, container.UnmapDma(0, 0, DmaUnmapFlags.All, out ulong unmapped));
        Assert.Equal(0x20_3000UL, unmapped);
        Assert.Empty(container.State.Mappings);
        Assert.Equal(Vfio.DefaultDmaEntryLimit, container.State.DmaAvail);
    }

    [Theory]
    [InlineData(0x10_0800UL, 0x1000UL)]
    [InlineData(0x10_0000UL, 0x800UL)]
    [InlineData(0x10_0000UL, 0UL)]
    [InlineData(0x20_0800UL, 0x1000UL)]
    [InlineData(0xffff_ffff_ffff_e800UL, 0x2000UL)]
    [InlineData(0xffff_ffff_ffff_f000UL, 0x1800UL)]
    public void Unmap_step2_unaligned_or_zero_is_EINVAL_before_any_wrap(ulong iova, ulong size)
    {
        foreach (var rules in new[] { FindDmaRules.SizeWraps, FindDmaRules.Inclusive })
        {
            var container = AttachedWhole(rules);
            Assert.Equal(Errno.Ok, container.MapDma(0x10_0000, Page, 0, DmaMapFlags.Read));
            AssertUnchanged(container, () => container.UnmapDma(iova, size, DmaUnmapFlags.None, out _), Errno.EINVAL);
        }
    }

    // ---- the top of the address space before v6.18 (the kernel's dma_list: Type1DmaTree) ----

    private const ulong LastPage = 0xffff_ffff_ffff_f000;

    [Fact]
    public void Before_v6_18_an_unmap_ending_at_the_last_byte_unmaps_nothing_and_succeeds()
    {
        foreach (var (rules, expected) in new[] { (FindDmaRules.SizeWraps, 0UL), (FindDmaRules.Inclusive, Page) })
        {
            var container = AttachedWhole(rules);
            Assert.Equal(Errno.Ok, container.MapDma(0x1000, Page, 0, DmaMapFlags.Read));
            Assert.Equal(Errno.Ok, container.UnmapDma(0x1000, 0xffff_ffff_ffff_f000, DmaUnmapFlags.None, out ulong unmapped));
            Assert.Equal(expected, unmapped);
            Assert.Equal(expected == 0 ? 1 : 0, container.State.Mappings.Count);
        }
    }

    [Fact]
    public void Before_v6_18_the_last_page_once_mapped_cannot_be_unmapped()
    {
        foreach (var (rules, expected) in new[] { (FindDmaRules.SizeWraps, 0UL), (FindDmaRules.Inclusive, Page) })
        {
            var container = AttachedWhole(rules);
            Assert.Equal(Errno.Ok, container.MapDma(LastPage, Page, 0, DmaMapFlags.Read));
            Assert.Equal(Errno.Ok, container.UnmapDma(LastPage, Page, DmaUnmapFlags.None, out ulong unmapped));
            Assert.Equal(expected, unmapped);
        }
    }

    /// <summary>
    /// vfio_find_dma_first_node sends every search right at the mapping ending at 2^64 − 1: as the
    /// root (mapped first) it hides the rest from UNMAP ALL; as a leaf (mapped last) it does not.
    /// </summary>
    [Theory]
    [InlineData(true, 0UL)]
    [InlineData(false, 2 * Page)]
    public void Before_v6_18_what_unmap_all_takes_depends_on_the_trees_shape(bool lastPageFirst, ulong expected)
    {
        var container = AttachedWhole(FindDmaRules.SizeWraps);
        foreach (ulong iova in lastPageFirst ? new[] { LastPage, 0x1000UL } : [0x1000UL, LastPage])
            Assert.Equal(Errno.Ok, container.MapDma(iova, Page, 0, DmaMapFlags.Read));
        Assert.Equal(Errno.Ok, container.UnmapDma(0, 0, DmaUnmapFlags.All, out ulong unmapped));
        Assert.Equal(expected, unmapped);
        Assert.Equal(expected == 0 ? 2 : 0, container.State.Mappings.Count);
    }

    /// <summary>The search misses the mapping at the last page; the domain's iommu_map still refuses the page: EEXIST, nothing mapped.</summary>
    [Fact]
    public void A_map_over_the_last_page_is_EEXIST_under_every_rule()
    {
        foreach (var rules in new[] { FindDmaRules.SizeWraps, FindDmaRules.Inclusive })
        {
            var container = AttachedWhole(rules);
            Assert.Equal(Errno.Ok, container.MapDma(LastPage, Page, 0, DmaMapFlags.Read));
            AssertUnchanged(container, () => container.MapDma(LastPage - Page, 2 * Page, 0x10000, DmaMapFlags.Read), Errno.EEXIST);
            AssertUnchanged(container, () => container.MapDma(LastPage, Page, 0x10000, DmaMapFlags.Write), Errno.EEXIST);
        }
    }

    [Fact]
    public void Unmap_step2_a_range_that_wraps_is_EINVAL_before_v6_18_and_EOVERFLOW_from_it()
    {
        foreach (var (rules, expected) in new[] { (FindDmaRules.SizeWraps, Errno.EINVAL), (FindDmaRules.Inclusive, Errno.EOVERFLOW) })
        {
            var container = AttachedWhole(rules);
            Assert.Equal(Errno.Ok, container.MapDma(0x10_0000, Page, 0, DmaMapFlags.Read));
            AssertUnchanged(container, () => container.UnmapDma(0xffff_ffff_ffff_f000, 0x2000, DmaUnmapFlags.Vaddr, out _), expected);
        }
    }

    [Theory]
    [InlineData(1U)]
    [InlineData(8U)]
    public void Unmap_dirty_bitmap_without_tracking_and_unknown_flags_are_EINVAL(uint flags)
    {
        var container = Attached(ReferencePlatform.AmdVi.Group(1));
        AssertUnchanged(container, () => container.UnmapDma(0, 0, (DmaUnmapFlags)flags, out _), Errno.EINVAL);
    }

    // ---- VADDR (v5.12+): invalidate a mapping's vaddr, keep the mapping, set a new vaddr ----

    private IVfioContainer WithTwoMappings()
    {
        var container = Attached(Group(1, 0, ulong.MaxValue));
        Assert.Equal(Errno.Ok, container.MapDma(0x10_0000, 2 * Page, 0x4000_0000, DmaMapFlags.Read | DmaMapFlags.Write));
        Assert.Equal(Errno.Ok, container.MapDma(0x20_0000, Page, 0x5000_0000, DmaMapFlags.Read));
        return container;
    }

    [Fact]
    public void Unmap_vaddr_keeps_the_mappings_and_reports_their_sizes()
    {
        var container = WithTwoMappings();
        Assert.Equal(Errno.Ok, container.UnmapDma(0x10_0000, 0x10_2000, DmaUnmapFlags.Vaddr, out ulong unmapped));
        Assert.Equal(3 * Page, unmapped);
        Assert.All(container.State.Mappings, m => Assert.True(m.VaddrInvalid));
        Assert.True(container.Translate(0x10_1000, out ulong phys, out _));
        Assert.Equal(0x4000_1000UL, phys);
    }

    [Fact]
    public void Unmap_vaddr_over_an_invalidated_mapping_is_EINVAL_and_changes_nothing()
    {
        var container = WithTwoMappings();
        Assert.Equal(Errno.Ok, container.UnmapDma(0x20_0000, Page, DmaUnmapFlags.Vaddr, out _));
        AssertUnchanged(container, () => container.UnmapDma(0, 0, DmaUnmapFlags.All | DmaUnmapFlags.Vaddr, out _), Errno.EINVAL);
    }

    [Fact]
    public void Map_vaddr_sets_a_new_vaddr_on_exactly_the_invalidated_mapping()
    {
        var container = WithTwoMappings();
        AssertUnchanged(container, () => container.MapDma(0x30_0000, Page, 0, DmaMapFlags.Vaddr), Errno.ENOENT);
        AssertUnchanged(container, () => container.MapDma(0x10_0000, 2 * Page, 0x6000_0000, DmaMapFlags.Vaddr), Errno.EINVAL);
        Assert.Equal(Errno.Ok, container.UnmapDma(0, 0, DmaUnmapFlags.All | DmaUnmapFlags.Vaddr, out _));
        AssertUnchanged(container, () => container.MapDma(0x10_0000, Page, 0x6000_0000, DmaMapFlags.Vaddr), Errno.EINVAL);
        AssertUnchanged(container, () => container.MapDma(0x10_0000, 2 * Page, 0, DmaMapFlags.Read), Errno.EEXIST);
        Assert.Equal(Errno.Ok, container.MapDma(0x10_0000, 2 * Page, 0x6000_0000, DmaMapFlags.Vaddr));
        var mapping = container.State.Mappings[0];
        Assert.Equal((0x6000_0000UL, false, 0x4000_0000UL), (mapping.Vaddr, mapping.VaddrInvalid, mapping.Phys));
        Assert.True(container.Translate(0x10_0000, out ulong phys, out _));
        Assert.Equal(0x4000_0000UL, phys);
        Assert.Equal(Errno.Ok, container.UnmapDma(0x20_0000, Page, DmaUnmapFlags.None, out ulong unmapped));
        Assert.Equal(Page, unmapped);
    }

    [Fact]
    public void Unmap_step3_a_range_starting_inside_a_mapping_is_EINVAL()
    {
        var container = Attached(ReferencePlatform.AmdVi.Group(1));
        Assert.Equal(Errno.Ok, container.MapDma(0x10_0000, 0x4000, 0, DmaMapFlags.Read));
        AssertUnchanged(container, () => container.UnmapDma(0x10_1000, 0x10_0000, DmaUnmapFlags.None, out _), Errno.EINVAL);
    }

    [Fact]
    public void Unmap_step3_a_range_ending_inside_a_mapping_is_EINVAL()
    {
        var container = Attached(ReferencePlatform.AmdVi.Group(1));
        Assert.Equal(Errno.Ok, container.MapDma(0x10_0000, 0x4000, 0, DmaMapFlags.Read));
        AssertUnchanged(container, () => container.UnmapDma(0, 0x10_2000, DmaUnmapFlags.None, out _), Errno.EINVAL);
    }

    [Fact]
    public void Unmap_step4_removes_every_mapping_wholly_inside()
    {
        var container = Attached(ReferencePlatform.AmdVi.Group(1));
        Assert.Equal(Errno.Ok, container.MapDma(0x10_0000, 0x1000, 0, DmaMapFlags.Read));
        Assert.Equal(Errno.Ok, container.MapDma(0x10_4000, 0x2000, 0, DmaMapFlags.Read));
        Assert.Equal(Errno.Ok, container.MapDma(0x20_0000, 0x1000, 0, DmaMapFlags.Read));
        Assert.Equal(Errno.Ok, container.UnmapDma(0x10_0000, 0x10_0000, DmaUnmapFlags.None, out ulong unmapped));
        Assert.Equal(0x3000UL, unmapped);
        Assert.Equal([new DmaMapping(0x20_0000, 0x1000, 0, DmaMapFlags.Read)], container.State.Mappings);
        Assert.Equal(Vfio.DefaultDmaEntryLimit - 1, container.State.DmaAvail);
    }

    [Fact]
    public void Unmap_step4_a_range_without_mappings_succeeds_with_zero()
    {
        var container = Attached(ReferencePlatform.AmdVi.Group(1));
        Assert.Equal(Errno.Ok, container.UnmapDma(0x10_0000, 0x10_0000, DmaUnmapFlags.None, out ulong unmapped));
        Assert.Equal(0UL, unmapped);
    }

    [Fact]
    public void Unmap_the_last_page_of_the_address_space()
    {
        var container = Attached(Group(1, 0, ulong.MaxValue));
        Assert.Equal(Errno.Ok, container.MapDma(0xffff_ffff_ffff_f000, Page, 0x1000, DmaMapFlags.Read));
        Assert.Equal(Errno.Ok, container.UnmapDma(0xffff_ffff_ffff_f000, Page, DmaUnmapFlags.None, out ulong unmapped));
        Assert.Equal(Page, unmapped);
        Assert.Empty(container.State.Mappings);
        Assert.False(container.Translate(ulong.MaxValue, out _, out _));
    }

    [Fact]
    public void Unmap_of_a_whole_u64_space_wraps_the_count_as_the_kernel_does()
    {
        var container = Attached(Group(1, 0, ulong.MaxValue));
        Assert.Equal(Errno.Ok, container.MapDma(0, 0x8000_0000_0000_0000, 0, DmaMapFlags.Read));
        Assert.Equal(Errno.Ok, container.MapDma(0x8000_0000_0000_0000, 0x8000_0000_0000_0000, 0, DmaMapFlags.Read));
        Assert.Equal(Errno.Ok, container.UnmapDma(0, 0, DmaUnmapFlags.All, out ulong unmapped));
        Assert.Equal(0UL, unmapped);
    }

    // ---- MSI doorbells (§4) ----

    [Fact]
    public void Msi_a_SwMsi_group_without_Msi_sets_the_window()
    {
        var container = Attached(ReferencePlatform.ArmSmmuV3.Group(1));
        Assert.Equal(new IovaRange(0x800_0000, 0x80f_ffff), container.State.MsiWindow);
    }

    [Fact]
    public void Msi_a_group_with_an_Msi_region_sets_no_window_even_with_SwMsi()
    {
        var container = Attached(Group(1, 0, 0xffff_ffff, regions: [R(0x800_0000, 0x80f_ffff, ResvType.SwMsi), R(0xfee0_0000, 0xfeef_ffff, ResvType.Msi)]));
        Assert.Null(container.State.MsiWindow);
    }

    [Fact]
    public void Msi_the_last_SwMsi_region_is_the_window()
    {
        var container = Attached(Group(1, 0, 0xffff_ffff, regions: [R(0x800_0000, 0x80f_ffff, ResvType.SwMsi), R(0x900_0000, 0x900_ffff, ResvType.SwMsi)]));
        Assert.Equal(new IovaRange(0x900_0000, 0x900_ffff), container.State.MsiWindow);
    }

    [Fact]
    public void Msi_a_doorbell_maps_into_the_window_keeping_its_page_offset()
    {
        var container = Attached(ReferencePlatform.ArmSmmuV3.Group(1));
        Assert.Equal(Errno.Ok, container.PrepareMsi(0x2f02_0040, out ulong iova));
        Assert.Equal(0x800_0040UL, iova);
        Assert.True(container.Translate(0x800_0040, out ulong phys, out var prot));
        Assert.Equal(0x2f02_0040UL, phys);
        Assert.Equal(IommuProt.Write | IommuProt.NoExec | IommuProt.Mmio, prot);
        Assert.Equal([new MsiPage(0x2f02_0000, 0x800_0000)], container.State.MsiPages);
    }

    [Fact]
    public void Msi_a_doorbell_on_a_mapped_page_reuses_it_and_a_new_page_takes_the_next()
    {
        var container = Attached(ReferencePlatform.ArmSmmuV3.Group(1));
        Assert.Equal(Errno.Ok, container.PrepareMsi(0x2f02_0040, out _));
        Assert.Equal(Errno.Ok, container.PrepareMsi(0x2f02_0ffc, out ulong same));
        Assert.Equal(Errno.Ok, container.PrepareMsi(0x2f04_0000, out ulong next));
        Assert.Equal(0x800_0ffcUL, same);
        Assert.Equal(0x800_1000UL, next);
    }

    [Fact]
    public void Msi_a_full_window_is_ENOSPC_not_a_page_past_its_end()
    {
        var container = Attached(ReferencePlatform.ArmSmmuV3.Group(1));
        for (ulong i = 0; i < 256; i++)
        {
            Assert.Equal(Errno.Ok, container.PrepareMsi(0x1_0000_0000 + (i * Page), out ulong iova));
            Assert.Equal(0x800_0000 + (i * Page), iova);
        }

        AssertUnchanged(container, () => container.PrepareMsi(0x2_0000_0000, out _), Errno.ENOSPC);
        Assert.Equal(Errno.Ok, container.PrepareMsi(0x1_0000_0010, out ulong again));
        Assert.Equal(0x800_0010UL, again);
    }

    [Fact]
    public void Msi_doorbells_are_untranslated_with_a_hardware_Msi_region()
    {
        var container = Attached(ReferencePlatform.IntelVtd.Group(1));
        Assert.Equal(Errno.Ok, container.PrepareMsi(0xfee0_1004, out ulong iova));
        Assert.Equal(0xfee0_1004UL, iova);
        Assert.Empty(container.State.MsiPages);
    }

    [Fact]
    public void Msi_the_window_is_never_DMA_mappable()
    {
        var container = Attached(ReferencePlatform.ArmSmmuV3.Group(1));
        Assert.Equal(Errno.EINVAL, container.MapDma(0x800_0000, Page, 0, DmaMapFlags.Write));
    }

    [Fact]
    public void Msi_detaching_the_window_group_drops_the_window_and_its_pages()
    {
        var container = Attached(ReferencePlatform.IntelVtd.Group(1), ReferencePlatform.ArmSmmuV3.Group(2));
        Assert.Equal(Errno.Ok, container.PrepareMsi(0x2f02_0040, out _));
        Assert.Equal(Errno.Ok, container.DetachGroup(2));
        Assert.Null(container.State.MsiWindow);
        Assert.Empty(container.State.MsiPages);
        Assert.False(container.Translate(0x800_0040, out _, out _));
    }

    [Fact]
    public void Msi_detaching_another_group_keeps_the_window_and_its_pages()
    {
        var container = Attached(ReferencePlatform.ArmSmmuV3.Group(1), Group(2, 0, 0xffff_ffff));
        Assert.Equal(Errno.Ok, container.PrepareMsi(0x2f02_0040, out _));
        Assert.Equal(Errno.Ok, container.DetachGroup(2));
        Assert.Single(container.State.MsiPages);
    }

    [Fact]
    public void Msi_a_window_starting_mid_page_starts_at_the_next_page()
    {
        var container = Attached(Group(1, 0, 0xffff_ffff, regions: R(0x800_0800, 0x800_2fff, ResvType.SwMsi)));
        Assert.Equal(Errno.Ok, container.PrepareMsi(0x1000_0000, out ulong iova));
        Assert.Equal(0x800_1000UL, iova);
        Assert.Equal(Errno.Ok, container.PrepareMsi(0x2000_0000, out iova));
        Assert.Equal(0x800_2000UL, iova);
        Assert.Equal(Errno.ENOSPC, container.PrepareMsi(0x3000_0000, out _));
    }

    [Fact]
    public void Msi_a_one_page_window_holds_exactly_one_doorbell_page()
    {
        var container = Attached(Group(1, 0, 0xffff_ffff, regions: R(0x800_0000, 0x800_0fff, ResvType.SwMsi)));
        Assert.Equal(Errno.Ok, container.PrepareMsi(0x1000_0000, out ulong iova));
        Assert.Equal(0x800_0000UL, iova);
        Assert.Equal(Errno.ENOSPC, container.PrepareMsi(0x2000_0000, out _));
    }

    [Theory]
    [InlineData(0x800_0000UL, 0x800_0ffeUL)]
    [InlineData(0x800_0800UL, 0x800_17ffUL)]
    [InlineData(0xffff_ffff_ffff_f800UL, ulong.MaxValue)]
    public void Msi_a_window_without_a_whole_page_holds_no_doorbell(ulong start, ulong last)
    {
        var container = Attached(Group(1, 0, ulong.MaxValue, regions: R(start, last, ResvType.SwMsi)));
        AssertUnchanged(container, () => container.PrepareMsi(0x1000_0000, out _), Errno.ENOSPC);
    }
}
