using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// The list <c>iommu_insert_resv_region</c> builds one insertion at a time (the model's
/// <see cref="ResvRegionMerge"/>, quadratic), computed in O(n log n): each insertion merges only
/// its own type, so the result is, per type, the union of that type's ranges with touching ones
/// joined, sorted by (start, type). A merged region keeps the prot of its lowest-starting member;
/// among members starting together, of the one given last (an insertion goes before equal keys).
/// </summary>
public static class ResvRegionUnion
{
    public static List<ResvRegion> Merge(IEnumerable<ResvRegion> regions)
    {
        var given = regions.Select((region, order) => (Region: region, Order: order)).ToArray();
        Array.Sort(given, (a, b) =>
            a.Region.Type != b.Region.Type ? a.Region.Type.CompareTo(b.Region.Type)
            : a.Region.Start != b.Region.Start ? a.Region.Start.CompareTo(b.Region.Start)
            : b.Order.CompareTo(a.Order));

        var merged = new List<ResvRegion>(given.Length);
        foreach (var (region, _) in given)
        {
            if (merged.Count > 0 && merged[^1].Type == region.Type && ResvRegionMerge.OverlapsOrTouches(merged[^1].Range, region.Range))
                merged[^1] = merged[^1] with { Range = new IovaRange(merged[^1].Start, Math.Max(merged[^1].Last, region.Last)) };
            else
                merged.Add(region);
        }

        merged.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Type.CompareTo(b.Type));
        return merged;
    }
}
