namespace Harness.Model;

/// <summary>
/// The valid IOVA list of a container: sorted, disjoint, inclusive ranges (docs/SPEC.md §2 step 4).
/// Pure functions; every result is a new list.
/// </summary>
public static class ValidIovaList
{
    /// <summary>The aperture minus every region that is excluded from IOVAs.</summary>
    public static List<IovaRange> Build(IovaRange aperture, IEnumerable<ResvRegion> regions) =>
        Exclude([aperture], regions);

    /// <summary>
    /// vfio_iommu_aper_resize: an empty list becomes the aperture; otherwise each node the rules keep
    /// is clipped to the aperture and the rest are deleted.
    /// </summary>
    public static List<IovaRange> Resize(IReadOnlyList<IovaRange> list, IovaRange aperture, IovaListRules rules)
    {
        if (list.Count == 0)
            return [aperture];
        var clipped = new List<IovaRange>();
        foreach (var range in list)
        {
            if (rules.Keeps(range, aperture))
                clipped.Add(new IovaRange(Math.Max(range.Start, aperture.Start), Math.Min(range.Last, aperture.Last)));
        }

        return clipped;
    }

    /// <summary>
    /// vfio_iommu_resv_exclude: each range overlapping a region keeps only its parts below and
    /// above the region. <see cref="ResvType.DirectRelaxable"/> regions are ignored.
    /// </summary>
    public static List<IovaRange> Exclude(IEnumerable<IovaRange> list, IEnumerable<ResvRegion> regions)
    {
        var result = list.ToList();
        foreach (var region in regions.Where(r => r.IsExcludedFromIovas))
        {
            var next = new List<IovaRange>();
            foreach (var range in result)
            {
                if (!range.Overlaps(region.Range))
                {
                    next.Add(range);
                    continue;
                }

                if (region.Start > range.Start)
                    next.Add(new IovaRange(range.Start, region.Start - 1));
                if (region.Last < range.Last)
                    next.Add(new IovaRange(region.Last + 1, range.Last));
            }

            result = next;
        }

        return result;
    }

    /// <summary>True when <paramref name="range"/> lies inside one range of the list.</summary>
    public static bool ContainsWhole(IEnumerable<IovaRange> list, IovaRange range) =>
        list.Any(valid => valid.Contains(range));
}
