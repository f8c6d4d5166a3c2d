namespace Harness.Fuzz;

/// <summary>Every fuzz target, by name.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<FuzzTargetInfo> All { get; } =
    [
        new("capchain", "VFIO_IOMMU_GET_INFO buffers: the fast parser against the model's", () => new CapChainTarget()),
    ];

    public static FuzzTargetInfo? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
