using System.Text;

namespace Harness.Model;

/// <summary>
/// /sys/kernel/iommu_groups/N/reserved_regions: one line per merged region,
/// <c>"0x%016llx 0x%016llx %s\n"</c> with start, last and type (docs/SPEC.md §1).
/// </summary>
public static class SysfsFormat
{
    /// <summary>iommu_group_resv_type_string. SwMsi prints as "msi": the file cannot tell the two apart.</summary>
    public static string TypeName(ResvType type) => type switch
    {
        ResvType.Direct => "direct",
        ResvType.DirectRelaxable => "direct-relaxable",
        ResvType.Reserved => "reserved",
        ResvType.Msi or ResvType.SwMsi => "msi",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a reserved region type"),
    };

    /// <summary>The type a name parses back to; "msi" is always <see cref="ResvType.Msi"/>.</summary>
    public static ResvType? TypeFromName(string name) => name switch
    {
        "direct" => ResvType.Direct,
        "direct-relaxable" => ResvType.DirectRelaxable,
        "reserved" => ResvType.Reserved,
        "msi" => ResvType.Msi,
        _ => null,
    };

    public static string FormatLine(ResvRegion region) =>
        $"0x{region.Start:x16} 0x{region.Last:x16} {TypeName(region.Type)}\n";

    public static string Format(IEnumerable<ResvRegion> regions)
    {
        var text = new StringBuilder();
        foreach (var region in regions)
            text.Append(FormatLine(region));
        return text.ToString();
    }
}
