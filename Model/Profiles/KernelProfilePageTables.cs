namespace Harness.Model;

/// <summary>The translation path a profile's model runs (docs/SPEC.md §6).</summary>
public static class KernelProfilePageTables
{
    /// <summary>The ideal extent table, or iommu_map over the profile's io-pgtable-arm.</summary>
    public static IIoPageTable CreatePageTable(this KernelProfile profile, IoPgtableConfig config) =>
        profile.PageTable == PageTableRules.Ideal ? new ModelPageTable(config) : new IommuDomain(config, new ModelArmLpae(config, profile.PageTable));

    /// <summary>An independent copy of a table <see cref="CreatePageTable"/> made (for state-machine snapshots).</summary>
    public static IIoPageTable ClonePageTable(IIoPageTable table) => table switch
    {
        ModelPageTable ideal => ideal.Clone(),
        IommuDomain { Ops: ModelArmLpae arm } domain => new IommuDomain(domain.Config, arm.Clone()),
        _ => throw new ArgumentException($"{table.GetType().Name} is not a model table"),
    };

    /// <summary>Every mapped extent of a model table, ascending.</summary>
    public static IEnumerable<(IovaRange Range, ulong Phys, IommuProt Prot)> Extents(IIoPageTable table) => table switch
    {
        ModelPageTable ideal => ideal.Extents,
        IommuDomain { Ops: ModelArmLpae arm } => arm.Extents,
        _ => throw new ArgumentException($"{table.GetType().Name} is not a model table"),
    };
}
