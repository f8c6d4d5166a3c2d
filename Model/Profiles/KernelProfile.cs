namespace Harness.Model;

/// <summary>
/// Whose behaviour the model executes (docs/SPEC.md, "Profiles"): a Linux version range, or the
/// project's own choices. Each field names the rules one surface follows under this profile.
/// </summary>
/// <param name="Name">How the command line and regression files name it.</param>
/// <param name="Kernels">The kernel versions whose code these rules were read from.</param>
/// <param name="Iova">The top-down IOVA allocator's rules (docs/SPEC.md §5).</param>
/// <param name="IovaList">How an attach clips the container's valid IOVA list to a new aperture (docs/SPEC.md §2).</param>
/// <param name="Layouts">The GET_INFO writers these kernels have (docs/SPEC.md §3).</param>
/// <param name="ResvMerge">When the group merge joins two regions of one type (docs/SPEC.md §1).</param>
/// <param name="PageTable">What iommu_map and iommu_unmap do on an Arm LPAE table (docs/SPEC.md §6).</param>
/// <param name="Rcache">How iova.c's rcache keeps full magazines (docs/SPEC.md §5); the ideal profile's own cache has a weaker contract.</param>
/// <param name="FindDma">How type1's searches of the mappings compute a range's end (docs/SPEC.md §2).</param>
/// <param name="LowestFit">Which lowest-fit allocator these kernels have, if any (docs/SPEC.md §5).</param>
/// <param name="VfioCompat">What a container with iommufd's GET_INFO layout is (docs/SPEC.md §3).</param>
public sealed record KernelProfile(string Name, string Kernels, IovaRules Iova, IovaListRules IovaList, IReadOnlyList<InfoLayout> Layouts, ResvMergeRules ResvMerge, PageTableRules PageTable, RcacheRules Rcache, FindDmaRules FindDma, LowestFitRules LowestFit, VfioCompatRules VfioCompat)
{
    /// <summary>Whether a container writing <paramref name="layout"/> is iommufd's compat IOAS rather than type1.</summary>
    public bool RunsIoas(InfoLayout layout) => layout == InfoLayout.IommufdCompat && VfioCompat == VfioCompatRules.Ioas;

    /// <summary>The layouts of this profile's type1 containers.</summary>
    public IReadOnlyList<InfoLayout> Type1Layouts => [.. Layouts.Where(layout => !RunsIoas(layout))];

    public override string ToString() => Name;
}

/// <summary>What VFIO's container ioctls reach when /dev/vfio/vfio is iommufd's (docs/SPEC.md §3).</summary>
public enum VfioCompatRules
{
    /// <summary>No iommufd (before v6.2).</summary>
    None,

    /// <summary>The project's choice: iommufd's GET_INFO layout written over type1's rules.</summary>
    LayoutOnly,

    /// <summary>The kernel's: iommufd's compat IOAS (<see cref="ModelIoas"/>).</summary>
    Ioas,
}

/// <summary>Which top-down allocator the model runs (docs/SPEC.md §5).</summary>
public enum IovaRules
{
    /// <summary>The project's choice: the highest fit, reservations beside allocations, every pfn usable.</summary>
    Ideal,

    /// <summary>iova.c as it is: the cached-node walk, the retry, the 32-bit hint, the anchor, reserve_iova's merging.</summary>
    IovaC,
}

/// <summary>Which lowest-fit allocator the model runs (docs/SPEC.md §5).</summary>
public enum LowestFitRules
{
    /// <summary>No iommufd (before v6.2): the profile has no lowest-fit allocator.</summary>
    None,

    /// <summary>The project's choice: the lowest fit aligned to roundup_pow_of_two(size), never pfn 0; reservations beside allocations.</summary>
    Ideal,

    /// <summary>iommufd's iopt_alloc_iova (<see cref="IoptAllocIova"/>): the alignment capped at a huge page, never the last page, reservations refused over allocations.</summary>
    IoptAllocIova,
}

/// <summary>How vfio_iommu_aper_resize clips a non-empty valid IOVA list to a new aperture (docs/SPEC.md §2).</summary>
public enum IovaListRules
{
    /// <summary>The project's choice: the plain intersection, one-address remnants included.</summary>
    Intersect,

    /// <summary>The kernel's: a node is kept only when the aperture's start lies below its end and its end above its start.</summary>
    AperResize,
}

/// <summary>When iommu_insert_resv_region joins a region to the last kept one of its type (docs/SPEC.md §1).</summary>
public enum ResvMergeRules
{
    /// <summary>The project's choice: overlapping or touching, the end + 1 computed without wrapping.</summary>
    Touching,

    /// <summary>The kernel's: <c>iter->start &lt;= top_end + 1</c> in 64 bits, so nothing joins a region ending at 2^64 - 1.</summary>
    TouchingTopEndWraps,
}

/// <summary>What the translation path does with a map or unmap that meets what is there already (docs/SPEC.md §6).</summary>
public enum PageTableRules
{
    /// <summary>The project's choices: mapping over anything mapped is EEXIST with no change; an unmap stops at the first unmapped granule.</summary>
    Ideal,

    /// <summary>io-pgtable-arm under iommu_map as v6.1 to v6.12 have it: a block replaces a table, an unmap clears whole tables, part of a block splits.</summary>
    ArmLpaeSplit,

    /// <summary>As <see cref="ArmLpaeSplit"/>, but since v6.13 an unmap of part of a block warns and unmaps nothing.</summary>
    ArmLpaeNoSplit,
}

/// <summary>How vfio_iommu_type1.c's vfio_find_dma compares a range's end with a mapping's (docs/SPEC.md §2).</summary>
public enum FindDmaRules
{
    /// <summary>v6.18 on, and the project's choice: inclusive ends, so a range ending at 2^64 - 1 is searched like any other; a MAP or UNMAP range that wraps is EOVERFLOW.</summary>
    Inclusive,

    /// <summary>v5.4 to v6.17: <c>start + size &lt;= dma->iova</c>, 0 for a range ending at 2^64 - 1, so such a query finds no mapping; a MAP or UNMAP range that wraps is EINVAL.</summary>
    SizeWraps,
}

/// <summary>Where iova.c's rcache puts a full magazine it has no room for (docs/SPEC.md §5).</summary>
public enum RcacheRules
{
    /// <summary>No Linux rcache: the ideal profile's cache is checked for validity only.</summary>
    None,

    /// <summary>v6.1: a depot array of at most MAX_GLOBAL_MAGS (32) per class, the magazine freed to the tree past that, flushed oldest first.</summary>
    DepotArray,

    /// <summary>v6.7 on: an unbounded depot list, flushed newest first (its trimming work runs after 100 ms, which no property waits for).</summary>
    DepotList,
}
