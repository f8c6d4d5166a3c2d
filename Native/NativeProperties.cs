using Harness.Model;
using Harness.Properties;

namespace Harness.Native;

/// <summary>
/// The catalogue's properties for the surfaces a native library implements, held to the profile it
/// claims (or the one asked for). The names are the catalogue's, so regression files replay either way.
/// </summary>
public static class NativeProperties
{
    public static IReadOnlyList<ICheckProperty> For(NativeImplementation native, KernelProfile profile) =>
    [
        .. native.AllocPolicies.Select(policy => Allocator(native, policy, profile)),
        .. native.HasFastPath ? [FastPath(native, profile)] : Array.Empty<ICheckProperty>(),
        .. native.HasResvMerge ? [ResvMerge(native, profile)] : Array.Empty<ICheckProperty>(),
        .. native.HasCapChainParser ? [CapChainParser(native)] : Array.Empty<ICheckProperty>(),
        .. native.HasType1 ? [ContainerDma(native, profile)] : Array.Empty<ICheckProperty>(),
        .. native.HasType1Groups ? [ContainerGroups(native, profile)] : Array.Empty<ICheckProperty>(),
        .. native.HasPageTable ? [PageTable(native, profile)] : Array.Empty<ICheckProperty>(),
    ];

    public static MachineProperty<IIovaAllocator, AllocatorSetup, AllocatorOp> Allocator(NativeImplementation native, AllocPolicy policy, KernelProfile profile)
    {
        var property = PropertyCatalogue.Allocator(policy, profile);
        return property.Against(property.Name, setup => native.Allocator(policy, setup.Domain), Selector(native, property.Name), ReplayOptions(native));
    }

    /// <summary>resv.union: the library's insertions give exactly the profile's list.</summary>
    public static ForAllProperty<RegionSetCase> ResvMerge(NativeImplementation native, KernelProfile profile)
    {
        var merge = native.ResvMerge();
        return PropertyCatalogue.UnionAgainst("resv.union", _ => merge, profile, Selector(native, "resv.union")).WithReplayOptions(ReplayOptions(native));
    }

    /// <summary>capchain.parser: the library's parser reads what the reference parser reads.</summary>
    public static ForAllProperty<ChainCase> CapChainParser(NativeImplementation native) =>
        PropertyCatalogue.ParserSummaryAgainst("capchain.parser", native.CapChainParser(), Selector(native, "capchain.parser")).WithReplayOptions(ReplayOptions(native));

    /// <summary>container.groups: the library's attach and detach, MAP_DMA, UNMAP_DMA and GET_INFO between.</summary>
    public static MachineProperty<IVfioContainer, ContainerSetup, ContainerOp> ContainerGroups(NativeImplementation native, KernelProfile profile, bool withoutMissedOverlaps = false)
    {
        var property = PropertyCatalogue.ContainerGroups(profile, withoutMissedOverlaps);
        return property.Against(property.Name, native.Type1GroupsContainer, Selector(native, property.Name), ReplayOptions(native));
    }

    /// <summary>container.dma: the library's MAP_DMA, UNMAP_DMA and GET_INFO on an attached container.</summary>
    public static MachineProperty<IVfioContainer, DmaSetup, ContainerOp> ContainerDma(NativeImplementation native, KernelProfile profile, bool withoutMissedOverlaps = false)
    {
        var property = PropertyCatalogue.ContainerDma(profile, withoutMissedOverlaps);
        return property.Against(property.Name, native.Type1Container, Selector(native, property.Name), ReplayOptions(native));
    }

    /// <summary>allocator.top-down.fast: the library's fast path, under the profile's rcache (ideal has none of Linux's: linux-6.12's).</summary>
    public static MachineProperty<FastPathSession, AllocatorSetup, FastPathOp> FastPath(NativeImplementation native, KernelProfile profile)
    {
        var rules = profile.Rcache == RcacheRules.None ? KernelProfiles.Linux612 : profile;
        FastPathSession Create(AllocatorSetup setup) => new(native.FastPath(setup.Domain));
        var property = PropertyCatalogue.FastPathAgainst(rules, Create);
        return property.Against(property.Name, Create, Selector(native, property.Name), ReplayOptions(native));
    }

    /// <summary>
    /// pagetable: the library's io_pgtable_ops under iommu_map, held to the profile's io-pgtable-arm
    /// rules; the ideal profile's own table is no io_pgtable_ops, so under ideal linux-6.12's rules hold.
    /// </summary>
    public static MachineProperty<IIoPageTable, PageTableSetup, PageTableOp> PageTable(NativeImplementation native, KernelProfile profile)
    {
        var rules = profile.PageTable == PageTableRules.Ideal ? KernelProfiles.Linux612 : profile;
        IIoPageTable Create(PageTableSetup setup) => native.PageTable(setup.Config, ((IommuDomain)setup.Kernel.CreatePageTable(setup.Config)).Ops.PgsizeBitmap);
        var property = PropertyCatalogue.PageTableAgainst(rules, Create);
        return property.Against(property.Name, Create, Selector(native, property.Name), ReplayOptions(native));
    }

    private static string Selector(NativeImplementation native, string property) => $"--native {native.Path} --property {property}";

    private static string ReplayOptions(NativeImplementation native) => $"--native {native.Path} ";
}
