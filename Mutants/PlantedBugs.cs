using Harness.Implementation;
using Harness.Model;
using Harness.Properties;

namespace Harness.Mutants;

/// <summary>The planted-bug catalogue: every docs/SPEC.md §8 bug, each held to the property that should catch it.</summary>
public static class PlantedBugs
{
    /// <summary>A bug re-planted in an allocator whose placement is <paramref name="profile"/>'s.</summary>
    private static PlantedBug Allocator(string name, string section, string origin, KernelProfile profile, Func<IovaDomain, IIovaAllocator> create) =>
        new(name, section, origin, PropertyCatalogue.Allocator(AllocPolicy.TopDown, profile).Against($"allocator.top-down@{name}", s => create(s.Domain), Selector(name)), profile);

    // These bugs are bugs under every profile; they run under the default one.
    private static PlantedBug Container(string name, string section, string origin, Func<IVfioContainer, IVfioContainer> wrap) =>
        new(name, section, origin, PropertyCatalogue.Container(KernelProfiles.Default).Against($"container@{name}", s => wrap(ContainerSpec.CreateImplementation(s)), Selector(name)), KernelProfiles.Default);

    private static PlantedBug PageTable(string name, string section, string origin, Func<IIoPageTable, IIoPageTable> wrap) =>
        new(name, section, origin, PropertyCatalogue.PageTable.Against($"pagetable@{name}", s => wrap(new IoPageTable(s.Config)), Selector(name)), KernelProfiles.Default);

    private static PlantedBug Parser(string name, string section, string origin, ICapChainParser parser) =>
        new(name, section, origin, PropertyCatalogue.ParserAgainst($"capchain.parser@{name}", parser, Selector(name)), KernelProfiles.Default);

    private static PlantedBug Merge(string name, string section, string origin, Func<IEnumerable<ResvRegion>, List<ResvRegion>> merge, KernelProfile profile) =>
        new(name, section, origin, PropertyCatalogue.MergeAgainst($"resv.merge@{name}", _ => merge, profile, Selector(name)), profile);

    private static PlantedBug Sysfs(string name, string section, string origin, ISysfsParser parser) =>
        new(name, section, origin, PropertyCatalogue.SysfsParserAgainst($"sysfs.parser@{name}", parser, Selector(name)), KernelProfiles.Default);

    private static string Selector(string name) => $"--planted {name}";

    public static IReadOnlyList<PlantedBug> All { get; } =
    [
        Allocator("iova-exact-fit-at-start", "8.1", "iova.c before 'iommu/iova: fix __alloc_and_insert_iova_range' (the seed thread, 2016)", KernelProfiles.Ideal, d => new ExactFitAtStartRejected(d)),
        Allocator("iova-limit-underflow", "8.2", "iova.c's reworked walk without the high_pfn < size check", KernelProfiles.Ideal, d => new LimitUnderflow(d)),
        Allocator("iova-cached-cursor", "8.3", "iova.c's cached node not moved up by a free above it (__cached_rbnode_delete_update)", KernelProfiles.Ideal, d => new CachedCursorNotReset(d)),
        Allocator("iova-stale-32bit-hint", "8.4", "iova.c's max32_alloc_size not reset by a free below 4 GiB", KernelProfiles.Ideal, d => new Stale32BitHint(d)),
        Allocator("iova-retry-pfn-overflow", "8.15", "iova.c's retry_pfn = pfn_hi + 1 wrapping at the anchor, fixed by dcdb3ba7e2a8 (2023)", KernelProfiles.Default, d => new RetryPfnOverflow(d)),
        new("pgtable-splits-after-v6.13", "8.18", "io-pgtable-arm's arm_lpae_split_blk_unmap, which 33729a5fc0ca (v6.13) removed: part of a block unmapped by splitting it",
            PropertyCatalogue.PageTableFor(KernelProfiles.Linux618).Against(
                "pagetable@pgtable-splits-after-v6.13",
                s => new IommuDomain(s.Config, new ArmLpaePgtable(s.Config, PageTableRules.ArmLpaeSplit)),
                Selector("pgtable-splits-after-v6.13")),
            KernelProfiles.Linux618),
        new("iommufd-align-wraps", "8.17", "iopt_alloc_iova's ALIGN() wrapping to IOVA 0 near ULONG_MAX, fixed by b42497e3c0e7 (2025)",
            PropertyCatalogue.Allocator(AllocPolicy.LowestFit, KernelProfiles.Default).Against("allocator.lowest-fit@iommufd-align-wraps", s => new IoptAlignWraps(s.Domain), Selector("iommufd-align-wraps")),
            KernelProfiles.Default),
        Merge("resv-merge-pre-v5.4", "8.5", "iommu_insert_resv_region before v5.4: touching regions not merged", MergeBugs.PreV54, KernelProfiles.Default),
        Merge("resv-merge-across-types", "8.5", "a merge that ignores the region type", MergeBugs.MergesAcrossTypes, KernelProfiles.Default),
        Merge("resv-merge-top-wraps", "8.6", "iommu_insert_resv_region's top_end + 1 wrapping at 2^64 - 1, as every Linux profile does", MergeBugs.TopEndWraps, KernelProfiles.Ideal),
        Container("exclude-direct-relaxable", "8.7", "vfio_iommu_resv_exclude cutting out DirectRelaxable regions", c => new ExcludesDirectRelaxable(c)),
        Container("exclude-skips-sw-msi", "8.7", "vfio_iommu_resv_exclude leaving the SwMsi window in the valid list", c => new SkipsSwMsi(c)),
        Container("map-across-hole", "8.8", "MAP_DMA checking the span of the valid list instead of one range", c => new MapAcrossHole(c)),
        Container("unmap-last-page", "8.9", "UNMAP_DMA's iova + size overflow, fixed in 2019", c => new LastPageUnmappable(c)),
        Container("unmap-bisects", "8.10", "UNMAP_DMA keeping v1 semantics under v2", c => new BisectsMapping(c)),
        Container("getinfo-past-argsz", "8.11", "GET_INFO copying the chain whatever argsz said", c => new InfoWritesPastArgsz(c)),
        new("getinfo-cap-offset-without-chain", "8.11", "GET_INFO setting cap_offset when the chain was not copied",
            PropertyCatalogue.WriterAgainst("capchain.writer@getinfo-cap-offset-without-chain", new CapOffsetWithoutChain(), Selector("getinfo-cap-offset-without-chain")), KernelProfiles.Default),
        Parser("parser-backward-next-loops", "8.12", "QEMU's unbounded, cycle-blind capability walk", new QemuStyleWalk()),
        Parser("parser-nr-iovas-overflow", "8.12", "rust-vmm's 32-bit 16 + 16 * nr_iovas", new IovaCountOverflow()),
        Parser("parser-reads-past-argsz", "8.12", "a chain walk bounded by the buffer instead of argsz", new ReadsPastArgsz()),
        PageTable("pgtable-map-no-rollback", "8.13", "a map that hits an existing entry keeping what it had installed", t => new MapWithoutRollback(t)),
        PageTable("pgtable-unmap-drops-block", "8.13", "unmapping part of a block dropping the whole block", t => new UnmapDropsWholeBlock(t)),
        Sysfs("sysfs-tolerates-crlf", "1", "a reserved_regions reader that strips DOS line endings", new ToleratesCarriageReturns()),
        Container("msi-cursor-past-window", "8.14", "the MSI cookie's cursor bumped with no bound against the window", c => new MsiCursorPastWindow(c)),
        new("type1-top-of-space-wraps", "8.16", "type1's iova + size wrapping to 0 at 2^64 - 1 in every search, attach, MAP and UNMAP, v5.4 to v6.17 (fixed in v6.18)",
            PropertyCatalogue.Container(KernelProfiles.Linux618).Against(
                "container@type1-top-of-space-wraps",
                s => new VfioContainer(s.Layout, s.DmaEntryLimit, s.Kernel.IovaList, FindDmaRules.SizeWraps, s.Kernel.ResvMerge) { AllowUnsafeInterrupts = s.AllowUnsafeInterrupts },
                Selector("type1-top-of-space-wraps")),
            KernelProfiles.Linux618),
        new("iommufd-unmap-all-or-nothing", "8.19", "an iommufd compat UNMAP_DMA held to type1's all-or-nothing contract: a stopped walk undone and 0 bytes reported",
            PropertyCatalogue.ContainerIommufd(KernelProfiles.Default).Against(
                "container.iommufd@iommufd-unmap-all-or-nothing",
                s => new IoasUnmapAllOrNothing(ContainerSpec.CreateImplementation(s)),
                Selector("iommufd-unmap-all-or-nothing")),
            KernelProfiles.Default),
    ];

    public static PlantedBug? Find(string name) => All.FirstOrDefault(b => b.Name == name);

    /// <summary>The planted bug whose property carries this name (regression files name the property).</summary>
    public static PlantedBug? ByPropertyName(string property) => All.FirstOrDefault(b => b.Property.Name == property);
}
