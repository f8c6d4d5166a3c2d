using Harness.Implementation;
using Harness.Model;
using Xunit;
using static Harness.Tests.Invariants.Surgery;

namespace Harness.Tests.Invariants;

/// <summary>Each check of <see cref="VfioContainer.CheckInvariants"/> fires on the one corruption it exists for.</summary>
public sealed class VfioContainerCheckerTests
{
    private const ulong Page = Vfio.PageSize;
    private const ulong Window = 0x800_0000;
    private const ulong Iova = 0x10_0000;
    private const ulong Vaddr = 0x7000_0000;
    private const ulong Doorbell = 0x2f02_0000;
    private const DmaMapFlags ReadWrite = DmaMapFlags.Read | DmaMapFlags.Write;
    private static readonly IommuProt Rw = ReadWrite.ToIommuProt();

    private static IommuGroup Group(int id, params ResvRegion[] regions) =>
        new(id, new IovaRange(0, 0xffff_ffff), 0x1000 | 0x20_0000 | 0x4000_0000, regions, MsiIsolated: true);

    private static ResvRegion Region(ulong start, ulong last, ResvType type) => new(new IovaRange(start, last), IommuProt.None, type);

    /// <summary>
    /// Groups 1 (a one-page SW_MSI window at 0x8000000) and 2; a two-page mapping at 0x100000 and
    /// one doorbell page at the window.
    /// </summary>
    private static VfioContainer Container()
    {
        var container = new VfioContainer();
        Assert.Equal(Errno.Ok, container.AttachGroup(Group(1, Region(Window, Window + Page - 1, ResvType.SwMsi))));
        Assert.Equal(Errno.Ok, container.AttachGroup(Group(2)));
        Assert.Equal(Errno.Ok, container.MapDma(Iova, 2 * Page, Vaddr, ReadWrite));
        Assert.Equal(Errno.Ok, container.PrepareMsi(Doorbell + 0x40, out ulong msiIova));
        Assert.Equal(Window + 0x40, msiIova);
        container.CheckInvariants();
        return container;
    }

    /// <summary>Replaces the container's page table with one holding exactly <paramref name="leaves"/>.</summary>
    private static void Translating(VfioContainer container, params (ulong Iova, ulong Phys, IommuProt Prot)[] leaves)
    {
        var table = new IoPageTable(IoPgtableConfig.Container);
        foreach (var (iova, phys, prot) in leaves)
            Assert.Equal(Errno.Ok, table.Map(iova, phys, Page, prot));
        Set(container, "pageTable", table);
    }

    private static object Doorbells(VfioContainer container) => Get<object>(container, "doorbells");

    [Fact]
    public void A_doorbell_page_right_below_a_mapping_passes()
    {
        var container = Container();
        Assert.Equal(Errno.Ok, container.MapDma(Window + Page, Page, Vaddr + 0x10_0000, ReadWrite));
        container.CheckInvariants();
    }

    [Fact]
    public void A_corrupt_mapping_tree_is_caught()
    {
        var container = Container();
        SetProperty(Get<RangeTree<DmaEntry>>(container, "mappings"), "Count", 2);
        ExpectViolation(container.CheckInvariants, "range tree holds 1 ranges but counts 2");
    }

    [Fact]
    public void A_corrupt_page_table_is_caught()
    {
        var container = Container();
        Get<int[]>(Get<IoPageTable>(container, "pageTable"), "validCount")[0]++;
        ExpectViolation(container.CheckInvariants, "table 0 holds 1 valid entries but counts 2");
    }

    [Fact]
    public void A_dma_avail_that_lost_count_is_caught()
    {
        var container = Container();
        Set(container, "dmaAvail", Vfio.DefaultDmaEntryLimit);
        ExpectViolation(container.CheckInvariants, $"dma_avail {Vfio.DefaultDmaEntryLimit} + 1 mappings != limit {Vfio.DefaultDmaEntryLimit}");
    }

    [Theory]
    [InlineData(Window - 0x10)]
    [InlineData(Window - 1)]
    [InlineData(Window)]
    public void Valid_ranges_that_overlap_share_an_address_or_touch_are_caught(ulong secondStart)
    {
        var container = Container();
        Set(container, "validIovas", new[] { new IovaRange(0, Window - 1), new IovaRange(secondStart, 0xffff_ffff) });
        ExpectViolation(container.CheckInvariants, $"valid ranges [0x0, 0x7ffffff] and [0x{secondStart:x}, 0xffffffff] are not sorted and apart");
    }

    [Theory]
    [InlineData("validIovas")]
    [InlineData("iovaPgsizes")]
    public void A_container_half_without_an_iommu_is_caught(string field)
    {
        var container = Container();
        Set(container, field, field == "validIovas" ? Array.Empty<IovaRange>() : 0UL);
        ExpectViolation(container.CheckInvariants, "valid list, page sizes and attached groups disagree");
    }

    [Fact]
    public void A_mapping_outside_the_valid_ranges_is_caught()
    {
        var container = Container();
        Set(container, "validIovas", new[] { new IovaRange(0, Iova + Page - 1), new IovaRange(Window + Page, 0xffff_ffff) });
        ExpectViolation(container.CheckInvariants, "mapping [0x100000, 0x101fff] is not inside one valid range");
    }

    [Fact]
    public void A_mapping_over_one_groups_reserved_region_is_caught()
    {
        var container = Container();
        Get<List<IommuGroup>>(container, "groups")[1] = Group(2, Region(Iova + Page, Iova + Page, ResvType.Reserved));
        ExpectViolation(container.CheckInvariants, "mapping [0x100000, 0x101fff] overlaps a reserved region");
    }

    [Theory]
    [InlineData(0, "0x100000 should translate to 0x70000000 with Read, Write")]
    [InlineData(1, "0x101fff should translate to 0x70001fff with Read, Write")]
    [InlineData(2, "0x100000 should translate to 0x70000000 with Read, Write")]
    [InlineData(3, "0x101fff should translate to 0x70001fff with Read, Write")]
    [InlineData(4, "0x8000000 should translate to 0x2f020000 with Write, NoExec, Mmio")]
    public void A_translation_that_disagrees_with_the_mappings_is_caught(int corruption, string phrase)
    {
        var container = Container();
        var first = (Iova, Vaddr, Rw);
        var second = (Iova + Page, Vaddr + Page, Rw);
        var doorbell = (Window, Doorbell, Vfio.DoorbellProt);
        switch (corruption)
        {
            case 0: Translating(container, (Iova, Vaddr + 0x10_0000, Rw), second, doorbell); break;
            case 1: Translating(container, first, doorbell); break;
            case 2: Translating(container, (Iova, Vaddr, IommuProt.Read), second, doorbell); break;
            case 3: Translating(container, first, (Iova + Page, Vaddr + Page, IommuProt.Write), doorbell); break;
            default: Translating(container, first, second, (Window, Doorbell + Page, Vfio.DoorbellProt)); break;
        }

        ExpectViolation(container.CheckInvariants, phrase);
    }

    [Theory]
    [InlineData(0x900_0000UL, 0x900_0fffUL)]
    [InlineData(Window, Window + Page - 2)]
    [InlineData(Window + 1, Window + Page)]
    public void A_doorbell_page_outside_the_window_is_caught(ulong start, ulong last)
    {
        var container = Container();
        Set(Doorbells(container), "window", new IovaRange(start, last));
        ExpectViolation(container.CheckInvariants, "doorbell page 0x8000000 is outside the MSI window");
    }

    [Theory]
    [InlineData(Iova)]
    [InlineData(Iova + Page)]
    public void A_doorbell_page_over_a_mapping_is_caught(ulong page)
    {
        var container = Container();
        Set(Doorbells(container), "window", new IovaRange(0, 0xffff_ffff));
        Get<List<MsiPage>>(Doorbells(container), "pages")[0] = new MsiPage(Doorbell, page);
        Get<Dictionary<ulong, ulong>>(Doorbells(container), "iovaByPhys")[Doorbell] = page;
        ExpectViolation(container.CheckInvariants, $"doorbell page 0x{page:x} overlaps a DMA mapping");
    }

    [Theory]
    [InlineData(Doorbell + Page, Window)]
    [InlineData(Doorbell, Window + Page)]
    public void A_doorbell_page_missing_from_the_phys_index_is_caught(ulong phys, ulong iova)
    {
        var container = Container();
        var index = Get<Dictionary<ulong, ulong>>(Doorbells(container), "iovaByPhys");
        index.Clear();
        index[phys] = iova;
        ExpectViolation(container.CheckInvariants, "doorbell page 0x8000000 is not indexed under its phys 0x2f020000");
    }

    [Fact]
    public void A_stale_entry_in_the_phys_index_is_caught()
    {
        var container = Container();
        Get<Dictionary<ulong, ulong>>(Doorbells(container), "iovaByPhys")[Doorbell + Page] = Window + Page;
        ExpectViolation(container.CheckInvariants, "2 doorbells indexed but 1 doorbell pages");
    }
}
