namespace Harness.Model;

/// <summary>
/// The group merge of reserved regions (iommu_insert_resv_region, Linux v5.4+; docs/SPEC.md §1).
/// </summary>
public static class ResvRegionMerge
{
    /// <summary>Inserts every region, in order, into an empty list, joining as <paramref name="profile"/> does.</summary>
    public static List<ResvRegion> Merge(IEnumerable<ResvRegion> regions, KernelProfile profile) => Merge(regions, Joins(profile.ResvMerge));

    /// <summary>The same under the ideal profile's rule, <see cref="OverlapsOrTouches"/>.</summary>
    public static List<ResvRegion> Merge(IEnumerable<ResvRegion> regions) => Merge(regions, OverlapsOrTouches);

    public static Func<IovaRange, IovaRange, bool> Joins(ResvMergeRules rules) =>
        rules == ResvMergeRules.Touching ? OverlapsOrTouches : TouchesTopEndWrapping;

    /// <summary>
    /// The same insertion with another rule for when two same-type regions join: the v5.4 rule is
    /// <see cref="OverlapsOrTouches"/>; kernels before v5.4 joined only overlapping regions
    /// (docs/SPEC.md §1 keeps that as a named variant for the planted-bug catalogue).
    /// </summary>
    public static List<ResvRegion> Merge(IEnumerable<ResvRegion> regions, Func<IovaRange, IovaRange, bool> joins)
    {
        var list = new List<ResvRegion>();
        foreach (var region in regions)
            Insert(list, region, joins);
        return list;
    }

    /// <summary>
    /// Inserts <paramref name="region"/> before the first entry with a larger <c>(start, type)</c>
    /// (or an equal one: the newcomer goes first), then merges regions of its type that overlap
    /// or touch. The earlier entry of a merged pair survives, with its prot.
    /// </summary>
    private static void Insert(List<ResvRegion> list, ResvRegion region, Func<IovaRange, IovaRange, bool> joins)
    {
        int at = list.FindIndex(it => region.Start < it.Start || (region.Start == it.Start && region.Type <= it.Type));
        list.Insert(at < 0 ? list.Count : at, region);

        var kept = new List<ResvRegion>(list.Count);
        foreach (var it in list)
        {
            int top = it.Type == region.Type ? kept.FindLastIndex(k => k.Type == it.Type) : -1;
            if (top < 0 || !joins(kept[top].Range, it.Range))
            {
                kept.Add(it);
                continue;
            }

            var lower = kept[top];
            kept[top] = lower with { Range = new IovaRange(lower.Start, Math.Max(lower.Last, it.Last)) };
        }

        list.Clear();
        list.AddRange(kept);
    }

    /// <summary>
    /// <paramref name="upper"/> starts no later than one past <paramref name="lower"/>'s end.
    /// Computed in 128 bits: the kernel's <c>top_end + 1</c> wraps at 2^64 - 1; this must not.
    /// </summary>
    public static bool OverlapsOrTouches(IovaRange lower, IovaRange upper) =>
        (UInt128)upper.Start <= (UInt128)lower.Last + 1;

    /// <summary>
    /// The kernel's test, <c>!(iter->start &gt; top_end + 1)</c> in 64 bits (v5.4+; the same in
    /// v6.1 and v6.12): when <paramref name="lower"/> ends at 2^64 - 1 the end + 1 is 0, so only a
    /// region starting at 0 still joins it.
    /// </summary>
    public static bool TouchesTopEndWrapping(IovaRange lower, IovaRange upper) =>
        upper.Start <= unchecked(lower.Last + 1);
}
