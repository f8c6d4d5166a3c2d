namespace Harness.Native.Conform;

/// <summary>
/// One piece of the kernel that <c>harness conform</c> compiles in userspace: the tree's files it
/// needs (sources compiled, headers only read), the definitions copied out of files too
/// entangled to compile whole, and the shim in native/conform/ that puts it behind
/// native/harness_impl.h.
/// </summary>
public sealed record ConformSurface(string Name, IReadOnlyList<string> Sources, IReadOnlyList<string> Headers, IReadOnlyList<KernelDefinition> Definitions, string Shim)
{
    private const string IommuH = "include/linux/iommu.h";
    private const string IommuC = "drivers/iommu/iommu.c";
    private const string Type1File = "drivers/vfio/vfio_iommu_type1.c";
    private const string VfioMain = "drivers/vfio/vfio_main.c";

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
            new(IommuH, "enum iommu_resv_type"),
            new(IommuH, "struct iommu_resv_region"),
            new(IommuC, "iommu_alloc_resv_region"),
            new(IommuC, "iommu_insert_resv_region"),
        ],
        "conform/resv_c.c");


    /// <summary>
    /// drivers/vfio/vfio_iommu_type1.c's MAP_DMA, UNMAP_DMA and GET_INFO down to the rbtree of
    /// mappings (lib/rbtree.c), with vfio_main.c's capability-chain helpers (where the top-of-space
    /// wrap fixed in v6.18 lives), and attach_group and detach_group down to the valid-list code, on
    /// iommu.c's resv-region merge for the groups' regions.
    /// </summary>
    public static ConformSurface Type1 { get; } = new(
        "vfio_iommu_type1.c",
        ["lib/rbtree.c"],
        [
            "include/linux/rbtree.h", "include/linux/rbtree_types.h", "include/linux/rbtree_augmented.h", "include/linux/list.h",
            "include/linux/poison.h", "include/linux/const.h", "include/vdso/const.h", "include/uapi/linux/const.h", "include/uapi/linux/vfio.h",
        ],
        [
            new(IommuH, "#define IOMMU_READ"),
            new(IommuH, "#define IOMMU_WRITE"),
            new(Type1File, "#define DIRTY_BITMAP_BYTES"),
            new(Type1File, "#define DIRTY_BITMAP_PAGES_MAX"),
            new(Type1File, "#define DIRTY_BITMAP_SIZE_MAX"),
            new("include/linux/vfio.h", "struct vfio_info_cap"),
            new(IommuH, "enum iommu_cap"),
            new(IommuH, "enum iommu_resv_type"),
            new(IommuH, "struct iommu_resv_region"),
            new(IommuC, "iommu_alloc_resv_region"),
            new(IommuC, "iommu_insert_resv_region"),
            new("drivers/vfio/vfio.h", "enum vfio_group_type"),
            new(Type1File, "struct vfio_iommu"),
            new(Type1File, "struct vfio_domain"),
            new(Type1File, "struct vfio_dma"),
            new(Type1File, "struct vfio_iommu_group"),
            new(Type1File, "struct vfio_iova"),
            new(Type1File, "vfio_find_dma"),
            new(Type1File, "vfio_find_dma_first_node"),
            new(Type1File, "vfio_link_dma"),
            new(Type1File, "vfio_unlink_dma"),
            new(Type1File, "verify_bitmap_size"),
            new(Type1File, "vfio_remove_dma"),
            new(Type1File, "vfio_dma_do_unmap"),
            new(Type1File, "vfio_iommu_iova_dma_valid"),
            new(Type1File, "vfio_dma_do_map"),
            new(VfioMain, "vfio_info_cap_add"),
            new(VfioMain, "vfio_info_cap_shift"),
            new(VfioMain, "vfio_info_add_capability"),
            new(Type1File, "vfio_iommu_iova_add_cap"),
            new(Type1File, "vfio_iommu_iova_build_caps"),
            new(Type1File, "vfio_iommu_migration_build_caps"),
            new(Type1File, "vfio_iommu_dma_avail_build_caps"),
            new(Type1File, "vfio_iommu_type1_get_info"),
            new(Type1File, "vfio_iommu_type1_map_dma"),
            new(Type1File, "vfio_iommu_type1_unmap_dma"),
            new(Type1File, "vfio_update_pgsize_bitmap"),
            new(Type1File, "find_iommu_group"),
            new(Type1File, "vfio_iommu_find_iommu_group"),
            new(Type1File, "vfio_iommu_has_sw_msi"),
            new(Type1File, "vfio_iommu_iova_insert"),
            new(Type1File, "vfio_iommu_aper_conflict"),
            new(Type1File, "vfio_iommu_aper_resize"),
            new(Type1File, "vfio_iommu_resv_conflict"),
            new(Type1File, "vfio_iommu_resv_exclude"),
            new(Type1File, "vfio_iommu_resv_free"),
            new(Type1File, "vfio_iommu_iova_free"),
            new(Type1File, "vfio_iommu_iova_get_copy"),
            new(Type1File, "vfio_iommu_iova_insert_copy"),
            new(Type1File, "vfio_iommu_device_capable", Optional: true),
            new(Type1File, "vfio_iommu_domain_alloc"),
            new(Type1File, "vfio_iommu_type1_attach_group"),
            new(Type1File, "vfio_iommu_unmap_unpin_all"),
            new(Type1File, "vfio_iommu_aper_expand"),
            new(Type1File, "vfio_iommu_resv_refresh"),
            new(Type1File, "vfio_iommu_type1_detach_group"),
        ],
        "conform/type1_c.c");


    /// <summary>
    /// drivers/iommu/io-pgtable-arm.c and io-pgtable.c: an ARM_64_LPAE_S1 table's map_pages,
    /// unmap_pages and iova_to_phys, on the definitions of include/linux/iommu.h that io-pgtable.h
    /// uses (v6.7 on add dirty tracking's).
    /// </summary>
    public static ConformSurface PageTable { get; } = new(
        "io-pgtable-arm.c",
        ["drivers/iommu/io-pgtable-arm.c", "drivers/iommu/io-pgtable.c"],
        [
            "include/linux/io-pgtable.h", "drivers/iommu/io-pgtable-arm.h", "include/linux/sizes.h", "include/linux/list.h",
            "include/linux/poison.h", "include/linux/const.h", "include/vdso/const.h", "include/uapi/linux/const.h",
        ],
        [
            new(IommuH, "#define IOMMU_READ"),
            new(IommuH, "#define IOMMU_WRITE"),
            new(IommuH, "#define IOMMU_CACHE"),
            new(IommuH, "#define IOMMU_NOEXEC"),
            new(IommuH, "#define IOMMU_MMIO"),
            new(IommuH, "#define IOMMU_PRIV"),
            new(IommuH, "struct iommu_iotlb_gather"),
            new(IommuH, "iommu_iotlb_gather_init"),
            new(IommuH, "iommu_iotlb_gather_queued"),
            new(IommuH, "#define IOMMU_DIRTY_NO_CLEAR", Optional: true),
            new(IommuH, "struct iommu_dirty_bitmap", Optional: true),
            new(IommuH, "iommu_iotlb_gather_add_range", Optional: true),
            new(IommuH, "iommu_dirty_bitmap_record", Optional: true),
        ],
        "conform/pgtable_c.c");

    public static IReadOnlyList<ConformSurface> All { get; } = [Iova, ResvInsert, Type1, PageTable];

    /// <summary>Every file of the tree some surface needs, the top Makefile (the version) first.</summary>
    public static IEnumerable<string> TreeFiles =>
        All.SelectMany(s => s.Sources.Concat(s.Headers).Concat(s.Definitions.Select(d => d.File))).Prepend("Makefile").Distinct();
}
