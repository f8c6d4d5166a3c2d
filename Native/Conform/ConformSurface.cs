namespace Harness.Native.Conform;

/// <summary>
/// One piece of the kernel that <c>harness conform</c> compiles in userspace: the tree's files it
/// needs (sources compiled, headers only read), and the shim in native/conform/ that puts it
/// behind native/harness_impl.h.
/// </summary>
public sealed record ConformSurface(string Name, IReadOnlyList<string> Sources, IReadOnlyList<string> Headers, string Shim)
{
    /// <summary>drivers/iommu/iova.c on lib/rbtree.c: the DMA API's top-down allocator.</summary>
    public static ConformSurface Iova { get; } = new(
        "iova.c",
        ["drivers/iommu/iova.c", "lib/rbtree.c"],
        ["include/linux/iova.h", "include/linux/rbtree.h", "include/linux/rbtree_types.h", "include/linux/rbtree_augmented.h"],
        "conform/iova_c.c");

    public static IReadOnlyList<ConformSurface> All { get; } = [Iova];

    /// <summary>Every file of the tree some surface needs, the top Makefile (the version) first.</summary>
    public static IEnumerable<string> TreeFiles => All.SelectMany(s => s.Sources.Concat(s.Headers)).Prepend("Makefile").Distinct();
}
