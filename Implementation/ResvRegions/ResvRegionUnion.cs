using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// The list <c>iommu_insert_resv_region</c> builds one insertion at a time (the model's
/// <see cref="ResvRegionMerge"/>, quadratic), computed fast. Each insertion merges only its own
/// type, so while no join wraps the result is, per type, the union of that type's ranges with
/// touching ones joined, sorted by (start, type): O(n log n). A merged region keeps the prot of its
/// lowest-starting member; among members starting together, of the one given last (an insertion
/// goes before equal keys). Under the kernel's wrapping rule a region ending at 2^64 - 1 makes the
/// result depend on the order of insertion, and then each insertion is replayed, touching only
/// its neighbours in its type's sorted list.
/// </summary>
public static class ResvRegionUnion
{
    /// <summary>The ideal profile's list.</summary>
    public static List<ResvRegion> Merge(IEnumerable<ResvRegion> regions) => Merge(regions, ResvMergeRules.Touching);

    public static List<ResvRegion> Merge(IEnumerable<ResvRegion> regions, ResvMergeRules rules)
    {
        var given = regions as IReadOnlyList<ResvRegion> ?? regions.ToList();
        return rules == ResvMergeRules.TouchingTopEndWraps && given.Any(r => r.Last == ulong.MaxValue)
            ? InsertEach(given, ResvRegionMerge.Joins(rules))
            : Union(given);
    }

    private static List<ResvRegion> Union(IReadOnlyList<ResvRegion> regions)
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
                merged[^1] = Joined(merged[^1], region);
            else
                merged.Add(region);
        }

        return ByStartThenType(merged);
    }

    /// <summary>
    /// The insertion's walk restated per type: the regions before the newcomer's place are already
    /// as the walk leaves them, so only its predecessor can absorb it, and it (or the predecessor)
    /// absorbs followers until the first that does not join; the rest stays as it was.
    /// </summary>
    private static List<ResvRegion> InsertEach(IReadOnlyList<ResvRegion> regions, Func<IovaRange, IovaRange, bool> joins)
    {
        var byType = new Dictionary<ResvType, List<ResvRegion>>();
        foreach (var region in regions)
        {
            if (!byType.TryGetValue(region.Type, out var list))
                byType[region.Type] = list = [];
            int at = FirstStartingAtOrAbove(list, region.Start);
            if (at > 0 && joins(list[at - 1].Range, region.Range))
            {
                at--;
                list[at] = Joined(list[at], region);
            }
            else
            {
                list.Insert(at, region);
            }

            int next = at + 1;
            while (next < list.Count && joins(list[at].Range, list[next].Range))
                list[at] = Joined(list[at], list[next++]);
            list.RemoveRange(at + 1, next - at - 1);
        }

        return ByStartThenType(byType.Values.SelectMany(l => l));
    }

    private static int FirstStartingAtOrAbove(List<ResvRegion> sorted, ulong start)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid].Start < start)
                lo = mid + 1;
            else
                hi = mid;
        }

        return lo;
    }

    private static ResvRegion Joined(ResvRegion lower, ResvRegion upper) =>
        lower with { Range = new IovaRange(lower.Start, Math.Max(lower.Last, upper.Last)) };

    /// <summary>Stable, so regions of one type and start keep the order the insertion left them in.</summary>
    private static List<ResvRegion> ByStartThenType(IEnumerable<ResvRegion> regions) =>
        [.. regions.OrderBy(r => r.Start).ThenBy(r => r.Type)];
}
