namespace Harness.Model;

/// <summary>
/// What the container learns from a group at attach time: the IOMMU domain's aperture and page
/// sizes, the group's (merged) reserved regions, and whether its MSIs are isolated
/// (interrupt remapping or an MSI controller that isolates). Groups naming the same
/// <paramref name="Domain"/> are behind one IOMMU driver and share one IOMMU domain, as
/// vfio_iommu_type1_attach_group joins a domain whose iommu_ops and cache coherency match;
/// null is a domain of its own.
/// </summary>
public sealed record IommuGroup(
    int Id,
    IovaRange Aperture,
    ulong PgsizeBitmap,
    IReadOnlyList<ResvRegion> ResvRegions,
    bool MsiIsolated,
    int? Domain = null)
{
    public override string ToString() =>
        $"group {Id}{(Domain is int d ? $" domain {d}" : "")} aperture {Aperture} pgsizes 0x{PgsizeBitmap:x} " +
        $"resv [{string.Join(", ", ResvRegions)}]{(MsiIsolated ? "" : " msi-unisolated")}";
}
