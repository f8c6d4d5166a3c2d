namespace Harness.Model;

/// <summary>
/// A reader of /sys/kernel/iommu_groups/N/reserved_regions text: any bytes in, either every
/// region or the first bad line's <see cref="SysfsError"/> out. Never throws.
/// </summary>
public interface ISysfsParser
{
    bool TryParse(ReadOnlySpan<byte> text, out List<ResvRegion> regions, out SysfsError error);
}
