using Harness.Model;

namespace Harness.Implementation;

/// <summary>The optimized translation path giving a profile's answers (docs/SPEC.md §6).</summary>
public static class IoPageTables
{
    /// <summary>The ideal table, or iommu_map over the fast io-pgtable-arm of the profile's version.</summary>
    public static IIoPageTable Create(IoPgtableConfig config, KernelProfile profile) =>
        profile.PageTable == PageTableRules.Ideal ? new IoPageTable(config) : new IommuDomain(config, new ArmLpaePgtable(config, profile.PageTable));
}
