using Harness.Implementation;
using Harness.Model;

namespace Harness.Properties;

/// <summary>Every property the harness checks, by name: the CI run, <c>harness check</c> and regression replay all use this list.</summary>
public static class PropertyCatalogue
{
    /// <summary>
    /// A container's mapping tree and page table: every tree event, and the page table's but a
    /// block split, which type1 never asks for (UNMAP_DMA takes whole mappings, docs/SPEC.md §2).
    /// </summary>
    private static readonly IReadOnlyList<StructuralEvent> Mappings =
        [.. StructuralEvents.Of("tree", "page table").Where(e => e != StructuralEvent.PageTableBlockSplit)];

    public static MachineProperty<IIovaAllocator, AllocatorSetup, AllocatorOp> Allocator(AllocPolicy policy, KernelProfile profile) => new(
        policy == AllocPolicy.TopDown ? "allocator.top-down" : "allocator.lowest-fit",
        $"the allocator gives the model's {policy} answers and keeps the same live allocations",
        new AllocatorSpec(policy, profile),
        setup => IovaAllocators.Create(setup.Domain, policy, setup.Kernel)) { Reaches = StructuralEvents.Of("tree") };

    public static MachineProperty<IIovaAllocator, AllocatorSetup, AllocatorOp> CachedAllocator(AllocPolicy policy) => new(
        policy == AllocPolicy.TopDown ? "allocator.top-down.rcache" : "allocator.lowest-fit.rcache",
        $"with the rcache, every {policy} answer is valid (in bounds, aligned, free) and the allocator complete",
        new CachedAllocatorSpec(policy),
        setup => new ValidityCheckedAllocator(new IovaAllocator(setup.Domain, policy, useRcache: true), policy, roundsSmallSizes: true)) { Reaches = StructuralEvents.Of("tree", "rcache") };

    /// <summary>
    /// allocator.top-down.fast: iova.c's fast path under <paramref name="profile"/>'s rcache; no
    /// managed allocator has Linux's rcache, so only native libraries and the kernel's own code get it.
    /// </summary>
    public static MachineProperty<FastPathSession, AllocatorSetup, FastPathOp> FastPathAgainst(KernelProfile profile, Func<AllocatorSetup, FastPathSession> create) => new(
        "allocator.top-down.fast",
        "alloc_iova_fast and free_iova_fast give the model's answers and leave the same tree, parked ranges included",
        new FastPathSpec(profile),
        create);

    /// <summary>The managed ideal table, which is also the container's translation path under every profile.</summary>
    public static MachineProperty<IIoPageTable, PageTableSetup, PageTableOp> PageTable { get; } =
        PageTableAgainst(KernelProfiles.Ideal, setup => new IoPageTable(setup.Config)).Reaching(StructuralEvents.Of("page table"));

    /// <summary>
    /// pagetable under <paramref name="profile"/>: the ideal table, or iommu_map over the fast
    /// io-pgtable-arm of the profile's version (which splits no block from v6.13 on).
    /// </summary>
    public static MachineProperty<IIoPageTable, PageTableSetup, PageTableOp> PageTableFor(KernelProfile profile) =>
        profile.PageTable == PageTableRules.Ideal
            ? PageTable
            : PageTableAgainst(profile, setup => IoPageTables.Create(setup.Config, profile))
                .Reaching(StructuralEvents.Of("page table").Where(e => profile.PageTable == PageTableRules.ArmLpaeSplit || e != StructuralEvent.PageTableBlockSplit).ToList());

    /// <summary>pagetable held against another table, under <paramref name="profile"/>'s rules (Arm's geometries under Linux).</summary>
    public static MachineProperty<IIoPageTable, PageTableSetup, PageTableOp> PageTableAgainst(KernelProfile profile, Func<PageTableSetup, IIoPageTable> create) => new(
        "pagetable",
        "the LPAE-style table answers map, unmap and translate as the model does, at every edge touched",
        new PageTableSpec(profile),
        create);

    public static MachineProperty<IVfioContainer, ContainerSetup, ContainerOp> Container(KernelProfile profile) => new(
        "container",
        "the optimized VFIO container returns the model's errnos, counts and GET_INFO bytes and keeps the same state",
        new ContainerSpec(profile),
        ContainerSpec.CreateImplementation) { Reaches = [.. Mappings, .. StructuralEvents.Of("container")] };

    /// <summary>
    /// container.iommufd: iommufd's compat IOAS behind the container ioctls, under a profile that
    /// has it. Its areas are a tree with no page table under it (translation reads the tree).
    /// </summary>
    public static MachineProperty<IVfioContainer, ContainerSetup, ContainerOp> ContainerIommufd(KernelProfile profile) => new(
        "container.iommufd",
        "iommufd's compat IOAS returns the model's errnos, counts and GET_INFO bytes through attach, detach, MAP_DMA and UNMAP_DMA and keeps the same state",
        new ContainerSpec(profile, ioas: true),
        ContainerSpec.CreateImplementation) { Reaches = [.. StructuralEvents.Of("tree", "container")] };

    /// <summary>container.dma; <paramref name="withoutMissedOverlaps"/> keeps every MAP off a mapping a pre-v6.18 search can miss (the same name: a file replays either way).</summary>
    public static MachineProperty<IVfioContainer, DmaSetup, ContainerOp> ContainerDma(KernelProfile profile, bool withoutMissedOverlaps = false) => new(
        "container.dma",
        "MAP_DMA, UNMAP_DMA and GET_INFO on an attached container give the model's errnos, counts, bytes and mappings",
        new DmaSpec(profile, withoutMissedOverlaps),
        DmaSpec.CreateImplementation) { Reaches = Mappings };

    /// <summary>container.groups; <paramref name="withoutMissedOverlaps"/> as for <see cref="ContainerDma"/>.</summary>
    public static MachineProperty<IVfioContainer, ContainerSetup, ContainerOp> ContainerGroups(KernelProfile profile, bool withoutMissedOverlaps = false) => new(
        "container.groups",
        "attach and detach groups (shared domains, apertures, reserved regions), MAP_DMA, UNMAP_DMA and GET_INFO between: the model's errnos, bytes, valid list and mappings",
        new GroupsSpec(profile, withoutMissedOverlaps),
        ContainerSpec.CreateImplementation) { Reaches = [.. Mappings, StructuralEvent.ContainerListRefresh] };

    /// <summary>
    /// end-to-end claims no borrow from a right sibling: its stack allocates top-down, so a tree's
    /// leaves split at their low end and the sibling right of an emptied leaf holds half a leaf,
    /// too few to lend (container and container.dma reach it).
    /// </summary>
    public static MachineProperty<DmaStack, DmaStackSetup, DmaStackOp> EndToEnd(KernelProfile profile) => new(
        "end-to-end",
        "attach platform groups, GET_INFO, parse, allocate from the parsed list, map, translate, unmap, detach: both stacks agree and every IOVA handed out maps",
        new DmaStackSpec(profile),
        DmaStackSpec.CreateImplementation) { Reaches = [.. Mappings.Where(e => e != StructuralEvent.TreeBorrowFromRight), StructuralEvent.ContainerListRefresh, StructuralEvent.ParserChainPredicted] };

    public static ForAllProperty<ChainCase> Parser { get; } = ParserAgainst("capchain.parser", new FastCapChainParser()).Reaching(StructuralEvents.Of("parser"));

    /// <summary>capchain.parser held against another parser.</summary>
    public static ForAllProperty<ChainCase> ParserAgainst(string name, ICapChainParser parser, string? selector = null) => new(
        name,
        "the hardened parser agrees with the reference parser on every writer layout and argsz, and on damaged chains",
        ChainCase.Generator,
        ChainCase.Shrink,
        c => ParserAgreement.Check(parser, c.Bytes()),
        selector);

    /// <summary>capchain.parser held against a parser that reports a summary (a native one).</summary>
    public static ForAllProperty<ChainCase> ParserSummaryAgainst(string name, IInfoSummaryParser parser, string? selector = null) => new(
        name,
        "the parser agrees with the reference parser on every writer layout and argsz, and on damaged chains",
        ChainCase.Generator,
        ChainCase.Shrink,
        c => ParserAgreement.CheckSummary(parser, c.Bytes()),
        selector);

    public static ForAllProperty<WriterCase> Writer { get; } = WriterAgainst("capchain.writer", new InfoWriter());

    /// <summary>capchain.writer held against another writer.</summary>
    public static ForAllProperty<WriterCase> WriterAgainst(string name, IInfoWriter writer, string? selector = null) => new(
        name,
        "the optimized GET_INFO writer writes the reference writer's bytes, nothing at or past argsz, and reads back",
        WriterCase.Generator,
        WriterCase.Shrink,
        c => c.Check(writer),
        selector);

    public static ForAllProperty<SysfsTextCase> SysfsParser { get; } = SysfsParserAgainst("sysfs.parser", new FastSysfsParser());

    /// <summary>sysfs.parser held against another reader.</summary>
    public static ForAllProperty<SysfsTextCase> SysfsParserAgainst(string name, ISysfsParser parser, string? selector = null) => new(
        name,
        "the fast reserved_regions reader agrees with the reference parser on kernel-printed and edited files, and round-trips",
        SysfsTextCase.Generator,
        SysfsTextCase.Shrink,
        c => SysfsAgreement.Check(parser, c.Bytes()),
        selector);

    public static ForAllProperty<RegionSetCase> SysfsRoundTrip { get; } = RegionSet(
        "sysfs.roundtrip", "reserved_regions format then parse gives the regions back (SwMsi as msi)", KernelProfiles.Ideal, c => c.CheckSysfsRoundTrip());

    public static ForAllProperty<RegionSetCase> Merge(KernelProfile profile) => MergeAgainst("resv.merge", p => regions => ResvRegionMerge.Merge(regions, p), profile);

    /// <summary>resv.merge held against another merge, given the case's profile, with that profile's rule for when regions join.</summary>
    public static ForAllProperty<RegionSetCase> MergeAgainst(string name, Func<KernelProfile, Func<IEnumerable<ResvRegion>, List<ResvRegion>>> merge, KernelProfile profile, string? selector = null) => RegionSet(
        name, "the group merge is sorted, leaves no same-type neighbours that would join, keeps every type's addresses and is idempotent", profile, c => c.CheckMerge(merge(c.Kernel)), selector);

    public static ForAllProperty<RegionSetCase> Union(KernelProfile profile) => UnionAgainst("resv.union", p => regions => ResvRegionUnion.Merge(regions, p.ResvMerge), profile);

    /// <summary>resv.union held against another merge, given the case's profile: a list built as iommu_insert_resv_region builds it.</summary>
    public static ForAllProperty<RegionSetCase> UnionAgainst(string name, Func<KernelProfile, Func<IEnumerable<ResvRegion>, List<ResvRegion>>> merge, KernelProfile profile, string? selector = null) => RegionSet(
        name, "the fast group merge gives exactly the list the kernel's one-at-a-time insertion builds, prots included", profile, c => c.CheckSameAsInsertion(merge(c.Kernel)), selector);

    /// <summary>A property over the region sets a group's devices report, generated under <paramref name="profile"/> (each case records it).</summary>
    private static ForAllProperty<RegionSetCase> RegionSet(string name, string description, KernelProfile profile, Action<RegionSetCase> check, string? selector = null) =>
        new(name, description, RegionSetCase.Generator(profile), RegionSetCase.Shrink, check, selector);

    private static readonly Dictionary<KernelProfile, IReadOnlyList<ICheckProperty>> Catalogues =
        KernelProfiles.All.ToDictionary(p => p, Build);

    /// <summary>
    /// The properties that hold an implementation to <paramref name="profile"/>'s rules. The rcache
    /// properties check the ideal profile's weaker contract, so only that profile has them.
    /// </summary>
    public static IReadOnlyList<ICheckProperty> For(KernelProfile profile) => Catalogues[profile];

    private static IReadOnlyList<ICheckProperty> Build(KernelProfile profile) =>
    [
        .. Policies(profile).Select(policy => Allocator(policy, profile)),
        .. profile == KernelProfiles.Ideal ? [CachedAllocator(AllocPolicy.TopDown), CachedAllocator(AllocPolicy.LowestFit)] : Array.Empty<ICheckProperty>(),
        PageTableFor(profile),
        Container(profile),
        .. profile.VfioCompat == VfioCompatRules.Ioas ? [ContainerIommufd(profile)] : Array.Empty<ICheckProperty>(),
        ContainerDma(profile),
        ContainerGroups(profile),
        EndToEnd(profile),
        Parser,
        Writer,
        SysfsParser,
        SysfsRoundTrip,
        Merge(profile),
        Union(profile),
    ];

    /// <summary>The allocation policies <paramref name="profile"/>'s kernels have: lowest-fit is iommufd's (v6.2 on).</summary>
    public static IReadOnlyList<AllocPolicy> Policies(KernelProfile profile) =>
        profile.LowestFit == LowestFitRules.None ? [AllocPolicy.TopDown] : [AllocPolicy.TopDown, AllocPolicy.LowestFit];

    /// <summary>The default profile's properties.</summary>
    public static IReadOnlyList<ICheckProperty> All => For(KernelProfiles.Default);

    /// <summary>
    /// The property of that name, for replaying a regression file: a file's setup names the profile it
    /// was recorded under, so any profile's property of that name replays it: the ideal catalogue's,
    /// which has every name but those of properties only Linux has (container.iommufd).
    /// </summary>
    public static ICheckProperty? Find(string name) =>
        KernelProfiles.All.OrderBy(p => p != KernelProfiles.Ideal).Select(p => For(p).FirstOrDefault(c => c.Name == name)).FirstOrDefault(c => c is not null);
}
