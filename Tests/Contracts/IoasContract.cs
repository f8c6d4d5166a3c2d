using System.Buffers.Binary;
using Harness.Implementation;
using Harness.Model;
using Xunit;

namespace Harness.Tests.Contracts;

/// <summary>
/// docs/SPEC.md §3 "The iommufd compat container", as tests of both compat IOASes: each a fact
/// read in Debian 6.12's vfio_compat.c, io_pagetable.c, pages.c and device.c, with the input
/// where type1 answers otherwise.
/// </summary>
public abstract class IoasContract
{
    private const ulong Sizes4K2M1G = 0x1000 | 0x200000 | 0x40000000;
    private const DmaMapFlags Rw = DmaMapFlags.Read | DmaMapFlags.Write;

    protected abstract IVfioContainer Create();

    private static IommuGroup Group(int id, ulong apStart = 0, ulong apLast = 0xffff_ffff_ffff, ulong pgsizes = Sizes4K2M1G, int? domain = null, params ResvRegion[] regions) =>
        new(id, new IovaRange(apStart, apLast), pgsizes, regions, MsiIsolated: true, domain);

    private static ResvRegion R(ulong start, ulong last, ResvType type) => new(new IovaRange(start, last), IommuProt.None, type);

    private IVfioContainer Attached(params IommuGroup[] groups)
    {
        var ioas = Create();
        foreach (var group in groups)
            Assert.Equal(Errno.Ok, ioas.AttachGroup(group));
        return ioas;
    }

    private static void Unchanged(IVfioContainer ioas, Func<Errno> call, Errno expected)
    {
        var before = ioas.State;
        Assert.Equal(expected, call());
        Assert.Equal(before, ioas.State);
    }

    private static Errno Info(IVfioContainer ioas, uint argsz, out byte[] buffer)
    {
        buffer = new byte[Math.Max(argsz, 16u)];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, argsz);
        return ioas.GetInfo(buffer);
    }

    [Fact]
    public void Before_any_group_every_ioctl_is_ENODEV_after_its_argument_checks()
    {
        var ioas = Create();
        Assert.Equal(Errno.EINVAL, ioas.MapDma(0, 0x1000, 0, DmaMapFlags.Vaddr));
        Assert.Equal(Errno.ENODEV, ioas.MapDma(0, 0x1000, 0, Rw));
        Assert.Equal(Errno.EINVAL, ioas.UnmapDma(0, 0x1000, DmaUnmapFlags.Vaddr, out _));
        Assert.Equal(Errno.ENODEV, ioas.UnmapDma(0, 0, DmaUnmapFlags.All, out _));
        Assert.Equal(Errno.EINVAL, Info(ioas, 15, out _));
        Assert.Equal(Errno.ENODEV, Info(ioas, 16, out _));
    }

    [Fact]
    public void Map_needs_neither_READ_nor_WRITE_and_refuses_VADDR()
    {
        var ioas = Attached(Group(1));
        Assert.Equal(Errno.EINVAL, ioas.MapDma(0x1000, 0x1000, 0, DmaMapFlags.Vaddr | DmaMapFlags.Read));
        Assert.Equal(Errno.EINVAL, ioas.UnmapDma(0x1000, 0x1000, DmaUnmapFlags.Vaddr, out _));

        // with a domain, io-pgtable-arm's iommu_map refuses a prot of neither: EINVAL, after the IOAS's own checks
        Assert.Equal(Errno.EINVAL, ioas.MapDma(0x1000, 0x1000, 0, DmaMapFlags.None));
        Assert.Equal(Errno.Ok, ioas.MapDma(0x1000, 0x1000, 0, DmaMapFlags.Read));
        Assert.Equal(Errno.EEXIST, ioas.MapDma(0x1000, 0x1000, 0, DmaMapFlags.None));
    }

    [Fact]
    public void Map_checks_size_then_vaddr_overflow_then_alignment_then_iova_overflow()
    {
        var ioas = Attached(Group(1, 0, ulong.MaxValue));
        Assert.Equal(Errno.EINVAL, ioas.MapDma(0x1000, 0, 0, Rw));
        Assert.Equal(Errno.EINVAL, ioas.MapDma(0x1000, ulong.MaxValue - 0xfff, 0, Rw));
        Assert.Equal(Errno.EOVERFLOW, ioas.MapDma(0x1001, 0x1000, 0xffff_ffff_ffff_f000, Rw));
        Assert.Equal(Errno.EINVAL, ioas.MapDma(0x1001, 0x1000, 0, Rw));
        Assert.Equal(Errno.EOVERFLOW, ioas.MapDma(0xffff_ffff_ffff_f000, 0x2000, 0, Rw));
        Assert.Equal(Errno.Ok, ioas.MapDma(0xffff_ffff_ffff_f000, 0x1000, 0xffff_ffff_ffff_e000, Rw));
        Assert.Equal(Errno.EINVAL, ioas.MapDma(0x4000, 0x1000, 0x10, Rw));
    }

    [Fact]
    public void Dma_avail_is_U32_MAX_whatever_is_mapped()
    {
        var ioas = Attached(Group(1));
        for (ulong i = 0; i < 4; i++)
            Assert.Equal(Errno.Ok, ioas.MapDma(0x10000 + (i * 0x1000), 0x1000, 0, Rw));
        Assert.Equal(uint.MaxValue, ioas.State.DmaAvail);
        Assert.Equal(Errno.Ok, Info(ioas, 64, out var buffer));
        Assert.Equal(uint.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(24 + 8)));
    }

    [Fact]
    public void Unmap_stops_at_an_area_it_would_cut_keeps_what_it_took_and_reports_it()
    {
        var ioas = Attached(Group(1));
        Assert.Equal(Errno.Ok, ioas.MapDma(0x10000, 0x2000, 0, Rw));
        Assert.Equal(Errno.Ok, ioas.MapDma(0x20000, 0x2000, 0, Rw));
        Assert.Equal(Errno.ENOENT, ioas.UnmapDma(0x10000, 0x11000, DmaUnmapFlags.None, out ulong unmapped));
        Assert.Equal(0x2000UL, unmapped);
        Assert.Equal([0x20000UL], ioas.State.Mappings.Select(m => m.Iova));
        Unchanged(ioas, () => ioas.UnmapDma(0x21000, 0x1000, DmaUnmapFlags.None, out _), Errno.ENOENT);
    }

    [Fact]
    public void Unmap_asks_no_alignment_and_checks_zero_then_overflow()
    {
        var ioas = Attached(Group(1));
        Assert.Equal(Errno.Ok, ioas.MapDma(0x10000, 0x1000, 0, Rw));
        Assert.Equal(Errno.EINVAL, ioas.UnmapDma(0x10000, 0, DmaUnmapFlags.None, out _));
        Assert.Equal(Errno.EOVERFLOW, ioas.UnmapDma(0x10000, ulong.MaxValue, DmaUnmapFlags.None, out _));
        Assert.Equal(Errno.Ok, ioas.UnmapDma(0xffff, 0x1003, DmaUnmapFlags.None, out ulong unmapped));
        Assert.Equal(0x1000UL, unmapped);
    }

    [Fact]
    public void A_device_with_SW_MSI_and_MSI_or_two_SW_MSI_is_refused()
    {
        var ioas = Attached(Group(1));
        Unchanged(ioas, () => ioas.AttachGroup(Group(2, regions: [R(0x800_0000, 0x80f_ffff, ResvType.SwMsi), R(0xfee0_0000, 0xfeef_ffff, ResvType.Msi)])), Errno.EINVAL);
        Unchanged(ioas, () => ioas.AttachGroup(Group(3, regions: [R(0x800_0000, 0x80f_ffff, ResvType.SwMsi), R(0x900_0000, 0x90f_ffff, ResvType.SwMsi)])), Errno.EINVAL);
        Assert.Equal(Errno.Ok, ioas.AttachGroup(Group(4, regions: [R(0x800_0000, 0x80f_ffff, ResvType.SwMsi)])));
        Assert.Equal(new IovaRange(0x800_0000, 0x80f_ffff), ioas.State.MsiWindow);
    }

    [Fact]
    public void Reservations_over_a_mapping_are_EADDRINUSE_and_the_valid_list_is_the_holes()
    {
        var ioas = Attached(Group(1, 0, ulong.MaxValue));
        Assert.Equal(Errno.Ok, ioas.MapDma(0x10000, 0x1000, 0, Rw));
        Unchanged(ioas, () => ioas.AttachGroup(Group(2, regions: [R(0x10000, 0x10fff, ResvType.Reserved)])), Errno.EADDRINUSE);
        Unchanged(ioas, () => ioas.AttachGroup(Group(3, 0x20000, 0xffff_ffff)), Errno.EADDRINUSE);
        Assert.Equal(Errno.Ok, ioas.AttachGroup(Group(4, 0, 0xffff_ffff, regions: [R(0x20000, 0x2ffff, ResvType.Reserved), R(0x30000, 0x30fff, ResvType.DirectRelaxable)])));
        Assert.Equal([new IovaRange(0, 0x1ffff), new IovaRange(0x30000, 0xffff_ffff)], ioas.State.ValidIovas);
        Assert.Equal(Errno.EINVAL, ioas.MapDma(0x1_0000_0000, 0x1000, 0, Rw));
    }

    [Fact]
    public void A_group_joining_a_domain_adds_its_regions_but_not_its_aperture()
    {
        var ioas = Attached(Group(1, 0, 0xffff_ffff, domain: 1), Group(2, 0x1000, 0xfff_ffff, domain: 1));
        Assert.Equal([new IovaRange(0, 0xffff_ffff)], ioas.State.ValidIovas);
        Assert.Equal(Errno.Ok, ioas.AttachGroup(Group(3, 0x1000, 0xfff_ffff, domain: 2)));
        Assert.Equal([new IovaRange(0x1000, 0xfff_ffff)], ioas.State.ValidIovas);
    }

    [Fact]
    public void Detaching_the_last_group_keeps_the_mappings_and_lifts_every_restriction()
    {
        var ioas = Attached(Group(1, 0x1000, 0xffff_ffff));
        Assert.Equal(Errno.Ok, ioas.MapDma(0x10000, 0x1000, 0, Rw));
        Assert.Equal(Errno.Ok, ioas.DetachGroup(1));
        Assert.Equal([0x10000UL], ioas.State.Mappings.Select(m => m.Iova));
        Assert.Equal([new IovaRange(0, ulong.MaxValue)], ioas.State.ValidIovas);

        // no domain: alignment 1, and no iommu_map to refuse a prot of neither
        Assert.Equal(Errno.Ok, ioas.MapDma(0x20001, 0x10, 0x5, DmaMapFlags.None));
        Assert.Equal(Errno.EADDRINUSE, ioas.AttachGroup(Group(2)));
        Assert.Equal(Errno.Ok, ioas.UnmapDma(0x20001, 0x10, DmaUnmapFlags.None, out _));
        Assert.Equal(Errno.Ok, ioas.MapDma(0x20000, 0x1000, 0, DmaMapFlags.None));
        Unchanged(ioas, () => ioas.AttachGroup(Group(2)), Errno.EINVAL);
    }

    [Fact]
    public void A_domain_must_take_PAGE_SIZE_and_a_2K_one_maps_half_pages()
    {
        var ioas = Create();
        Assert.Equal(Errno.EINVAL, ioas.AttachGroup(Group(1, pgsizes: 0x10000 | 0x20000000)));
        Assert.Empty(ioas.State.Groups);

        // the refused attach still made the compat IOAS (VFIO_GROUP_SET_CONTAINER came first)
        Assert.Equal(0xffff_ffff_ffff_f000UL, ioas.State.IovaPgsizes);
        Assert.Equal(Errno.Ok, ioas.AttachGroup(Group(2, pgsizes: 0x800 | 0x1000)));
        Assert.Equal(0x1000UL, ioas.State.IovaPgsizes);
        Assert.Equal(Errno.Ok, ioas.MapDma(0x800, 0x800, 0x800, Rw));
        Assert.Equal(Errno.EINVAL, ioas.MapDma(0x1400, 0x800, 0x800, Rw));
    }

    [Fact]
    public void A_doorbell_page_left_by_its_group_refuses_a_mapping_over_it()
    {
        var ioas = Attached(Group(1, domain: 1, regions: [R(0x800_0000, 0x80f_ffff, ResvType.SwMsi)]), Group(2, domain: 1));
        Assert.Equal(Errno.Ok, ioas.PrepareMsi(0x2f02_0040, out ulong msiIova));
        Assert.Equal(0x800_0040UL, msiIova);
        Assert.Equal(Errno.Ok, ioas.DetachGroup(1));
        Assert.Equal(Errno.EEXIST, ioas.MapDma(0x800_0000, 0x1000, 0, Rw));
        Assert.Equal(Errno.Ok, ioas.MapDma(0x800_1000, 0x1000, 0, Rw));
        Assert.True(ioas.Translate(0x800_0040, out ulong phys, out _));
        Assert.Equal(0x2f02_0040UL, phys);
    }
}

public sealed class ModelIoasTests : IoasContract
{
    protected override IVfioContainer Create() => new ModelIoas();
}

public sealed class IoasContainerTests : IoasContract
{
    protected override IVfioContainer Create() => new IoasContainer();

    [Fact]
    public void Invariants_hold_through_attach_map_and_detach()
    {
        var ioas = new IoasContainer();
        Assert.Equal(Errno.Ok, ioas.AttachGroup(new IommuGroup(1, new IovaRange(0x1000, 0xffff_ffff), 0x1000, [], true)));
        Assert.Equal(Errno.Ok, ioas.MapDma(0x2000, 0x3000, 0x1000, DmaMapFlags.Read));
        Assert.Equal(Errno.Ok, ioas.DetachGroup(1));
        Assert.Equal(Errno.Ok, ioas.MapDma(0x10, 0x10, 0x10, DmaMapFlags.None));
        ioas.CheckInvariants();
    }
}
