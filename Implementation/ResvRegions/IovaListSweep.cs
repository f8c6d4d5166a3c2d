using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// Valid-IOVA-list arithmetic by one sweep: the excluded regions are sorted and merged once,
/// then walked alongside the (sorted, disjoint) list. O((list + regions) log regions).
/// </summary>
public static class IovaListSweep
{
    /// <summary>
    /// <paramref name="list"/> clipped to <paramref name="aperture"/> (each node the rules keep; an empty list
    /// becomes the aperture), minus every region that is excluded from IOVAs.
    /// </summary>
    public static IovaRange[] ClipAndExclude(ReadOnlySpan<IovaRange> list, IovaRange aperture, IEnumerable<ResvRegion> regions, IovaListRules rules = IovaListRules.Intersect)
    {
        if (list.IsEmpty)
        {
            list = new[] { aperture };
            rules = IovaListRules.Intersect;
        }
        var cuts = MergedCuts(regions);
        var result = new List<IovaRange>(list.Length + cuts.Count);
        int cut = 0;
        foreach (var whole in list)
        {
            if (!rules.Keeps(whole, aperture))
                continue;
            ulong start = Math.Max(whole.Start, aperture.Start), last = Math.Min(whole.Last, aperture.Last);
            while (cut < cuts.Count && cuts[cut].Last < start)
                cut++;
            bool open = true;
            for (int c = cut; c < cuts.Count && cuts[c].Start <= last; c++)
            {
                if (cuts[c].Start > start)
                    result.Add(new IovaRange(start, cuts[c].Start - 1));
                if (cuts[c].Last >= last)
                {
                    open = false;
                    break;
                }

                start = cuts[c].Last + 1;
            }

            if (open)
                result.Add(new IovaRange(start, last));
        }

        return [.. result];
    }

    /// <summary>The excluded regions as sorted, disjoint ranges.</summary>
    private static List<IovaRange> MergedCuts(IEnumerable<ResvRegion> regions)
    {
        var sorted = regions.Where(r => r.IsExcludedFromIovas).Select(r => r.Range).ToList();
        sorted.Sort((a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<IovaRange>(sorted.Count);
        foreach (var range in sorted)
        {
            if (merged.Count > 0 && range.Start <= merged[^1].Last)
                merged[^1] = new IovaRange(merged[^1].Start, Math.Max(merged[^1].Last, range.Last));
            else
                merged.Add(range);
        }

        return merged;
    }

    /// <summary>Binary search: the valid range containing <paramref name="range"/> whole, if any.</summary>
    public static bool ContainsWhole(ReadOnlySpan<IovaRange> list, IovaRange range)
    {
        int low = 0, high = list.Length - 1;
        while (low <= high)
        {
            int mid = (low + high) >>> 1;
            if (list[mid].Last < range.Start)
                low = mid + 1;
            else if (list[mid].Start > range.Start)
                high = mid - 1;
            else
                return list[mid].Last >= range.Last;
        }

        return false;
    }
}
