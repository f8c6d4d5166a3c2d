using Harness.Mutants;

namespace Harness.Fuzz;

/// <summary>Every fuzz target, by name.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<FuzzTargetInfo> All { get; } =
    [
        new("capchain", "VFIO_IOMMU_GET_INFO buffers: the fast parser against the model's", 8192, _ => new CapChainTarget()),
        new("sysfs", "reserved_regions texts: the fast reader against the model's parser, and round trips", 4096, _ => new SysfsTarget()),
        new("ops", "bytes as ABI call sequences on the allocator, page table, container and end-to-end stack, against the model",
            OpBytes.MaxLength, planted => new OpsTarget(OpsSurfaces.Create(planted?.Property)), planted => OpsSurfaces.Reaches(planted.Property)),
    ];

    public static FuzzTargetInfo? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
