namespace Harness.Native.Conform;

/// <summary>
/// One piece of the kernel that <c>harness conform</c> compiles in userspace: the tree's files it
/// needs (sources compiled, headers only read), the definitions copied out of files too
/// entangled to compile whole, and the shim in native/conform/ that puts it behind
/// native/harness_impl.h.
/// </summary>
public sealed record ConformSurface(string Name, IReadOnlyList<string> Sources, IReadOnlyList<string> Headers, IReadOnlyList<KernelDefinition> Definitions, string Shim)
{
    /// <summary>drivers/iommu/iova.c on lib/rbtree.c: the DMA API's top-down allocator.</summary>
    public static ConformSurface Iova { get; } = new(
        "iova.c",
        ["drivers/iommu/iova.c", "lib/rbtree.c"],
        ["include/linux/iova.h", "include/linux/rbtree.h", "include/linux/rbtree_types.h", "include/linux/rbtree_augmented.h"],
        [],
        "conform/iova_c.c");

    /// <summary>drivers/iommu/iommu.c's iommu_insert_resv_region on include/linux/list.h: the group merge of reserved regions.</summary>
    public static ConformSurface ResvInsert { get; } = new(
        "iommu_insert_resv_region",
        [],
        ["include/linux/list.h", "include/linux/poison.h", "include/linux/const.h", "include/vdso/const.h", "include/uapi/linux/const.h"],
        [
            new("include/linux/iommu.h", "enum iommu_resv_type"),
            new("include/linux/iommu.h", "struct iommu_resv_region"),
            new("drivers/iommu/iommu.c", "iommu_alloc_resv_region"),
            new("drivers/iommu/iommu.c", "iommu_insert_resv_region"),
        ],
        "conform/resv_c.c");

    public static IReadOnlyList<ConformSurface> All { get; } = [Iova, ResvInsert];

    /// <summary>Every file of the tree some surface needs, the top Makefile (the version) first.</summary>
    public static IEnumerable<string> TreeFiles =>
        All.SelectMany(s => s.Sources.Concat(s.Headers).Concat(s.Definitions.Select(d => d.File))).Prepend("Makefile").Distinct();
}
