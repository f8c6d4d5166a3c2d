using Harness.Model;

namespace Harness.Mutants;

/// <summary>The group merges of older or broken kernels: each a function from reported regions to the group's list.</summary>
public static class MergeBugs
{
    /// <summary>docs/SPEC.md §8.5: before v5.4 only overlapping regions of the same type merged; touching ones stayed apart.</summary>
    public static List<ResvRegion> PreV54(IEnumerable<ResvRegion> regions) =>
        ResvRegionMerge.Merge(regions, (lower, upper) => upper.Start <= lower.Last);

    /// <summary>
    /// docs/SPEC.md §8.6: the kernel's <c>top_end + 1</c> wraps when a region ends at 2^64 - 1, so a
    /// region inside it no longer merges and the list keeps two overlapping regions of one type:
    /// what every Linux profile does, a bug under the ideal one.
    /// </summary>
    public static List<ResvRegion> TopEndWraps(IEnumerable<ResvRegion> regions) =>
        ResvRegionMerge.Merge(regions, ResvRegionMerge.TouchesTopEndWrapping);

    /// <summary>docs/SPEC.md §8.5: regions of different types merged as if they were one kind (the lowest one's type wins).</summary>
    public static List<ResvRegion> MergesAcrossTypes(IEnumerable<ResvRegion> regions)
    {
        var given = regions.ToList();
        return ResvRegionMerge.Merge(given.Select(r => r with { Type = ResvType.Reserved }))
            .Select(merged => merged with { Type = given.Where(r => merged.Range.Contains(r.Range)).OrderBy(r => r.Start).First().Type })
            .ToList();
    }
}
