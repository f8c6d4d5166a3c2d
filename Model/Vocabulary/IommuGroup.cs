namespace Harness.Model;

/// <summary>
/// What the container learns from a group at attach time: the IOMMU domain's aperture and page
/// sizes, the group's (merged) reserved regions, and whether its MSIs are isolated
/// (interrupt remapping or an MSI controller that isolates).
/// </summary>
public sealed record IommuGroup(
    int Id,
    IovaRange Aperture,
    ulong PgsizeBitmap,
    IReadOnlyList<ResvRegion> ResvRegions,
    bool MsiIsolated)
{
    public override string ToString() =>
        $"group {Id} aperture {Aperture} pgsizes 0x{PgsizeBitmap:x} " +
        $"resv [{string.Join(", ", ResvRegions)}]{(MsiIsolated ? "" : " msi-unisolated")}";
}
