using FsCheck;
using FsCheck.Fluent;
using Harness.Model;

namespace Harness.Properties;

/// <summary>
/// IOMMU groups: the docs/SPEC.md §7 platforms, and random groups whose apertures, page sizes and
/// reserved regions sit at the edges (touching and overlapping regions of equal and different
/// types, regions ending at 2^64 - 1, windows outside the aperture).
/// </summary>
public static class GroupGen
{
    private const ulong Page = Vfio.PageSize;

    public static IReadOnlyList<IovaRange> Apertures { get; } =
    [
        ReferencePlatform.Bits(32), ReferencePlatform.Bits(39), ReferencePlatform.Bits(48), ReferencePlatform.Bits(64),
        new(0x1000, 0xffff_ffff), new(0x100_0000, 0x7fff_ffff), new(0x1_0000_0000, ulong.MaxValue),
    ];

    public static IReadOnlyList<ulong> Pgsizes { get; } =
    [
        0x1000 | 0x20_0000 | 0x4000_0000, 0x1000, 0x1000 | 0x20_0000, 0x1_0000 | 0x2000_0000, 0x800, 0x2000 | 0x1000,
    ];

    /// <summary>A group: a platform's or a random one, behind an IOMMU driver of its own or one of two that groups share.</summary>
    public static Gen<IommuGroup> Group(int id) =>
        from gen in Gen.Frequency(
        [
            (3, Gen.Elements(ReferencePlatform.All.ToArray()).Select(p => p.Group(id))),
            (4, Random(id)),
        ])
        from domain in Gen.Frequency([(2, Gen.Constant<int?>(null)), (2, Gen.Constant<int?>(1)), (1, Gen.Constant<int?>(2))])
        select gen with { Domain = domain };

    private static Gen<IommuGroup> Random(int id) =>
        from aperture in Gen.Frequency([(4, Gen.Elements<IovaRange>(Apertures)), (1, Range(Page))])
        from pgsizes in Gen.Elements<ulong>(Pgsizes)
        from regions in Gen.Choose(0, 4).SelectMany(n => Regions(n))
        from isolated in Gen.Frequency([(6, Gen.Constant(true)), (1, Gen.Constant(false))])
        select new IommuGroup(id, aperture, pgsizes, regions, isolated);

    /// <summary><paramref name="count"/> regions, each often touching or overlapping the previous one.</summary>
    public static Gen<IReadOnlyList<ResvRegion>> Regions(int count)
    {
        Gen<IReadOnlyList<ResvRegion>> regions = Gen.Constant<IReadOnlyList<ResvRegion>>([]);
        for (int i = 0; i < count; i++)
        {
            regions = regions.SelectMany(list => Region(list.Count > 0 ? list[^1] : null).Select(r => (IReadOnlyList<ResvRegion>)[.. list, r]));
        }

        return regions;
    }

    private static Gen<ResvRegion> Region(ResvRegion? previous)
    {
        var type = Gen.Frequency([(2, Gen.Constant(ResvType.Reserved)), (2, Gen.Constant(ResvType.Msi)), (2, Gen.Constant(ResvType.SwMsi)), (1, Gen.Constant(ResvType.Direct)), (2, Gen.Constant(ResvType.DirectRelaxable))]);
        var placed = previous is ResvRegion p
            ? Gen.Frequency([(2, Range(Page)), (2, Touching(p.Range)), (1, Overlapping(p.Range))])
            : Range(Page);
        return from range in placed
               from t in type
               select new ResvRegion(range, t == ResvType.SwMsi ? IommuProt.Write | IommuProt.NoExec | IommuProt.Mmio : IommuProt.None, t);
    }

    /// <summary>A page-aligned range near the landmarks (sometimes not page-aligned, sometimes to 2^64 - 1).</summary>
    public static Gen<IovaRange> Range(ulong granule) =>
        from start in Gen.Frequency([(4, Edges.Aligned(granule)), (1, Edges.Any)])
        from pages in Gen.Frequency([(4, Gen.Choose(1, 256).Select(v => (ulong)v)), (1, Gen.Elements(0x100UL, 0x10000UL)), (1, Gen.Constant(ulong.MaxValue))])
        select pages == ulong.MaxValue || start + (pages * granule) - 1 < start
            ? new IovaRange(start, ulong.MaxValue)
            : IovaRange.FromSize(start, pages * granule);

    private static Gen<IovaRange> Touching(IovaRange previous) =>
        previous.Last == ulong.MaxValue
            ? Gen.Constant(previous)
            : Gen.Choose(1, 16).Select(pages => new IovaRange(previous.Last + 1, previous.Last + 1 + (((ulong)pages * Page) - 1) < previous.Last ? ulong.MaxValue : previous.Last + ((ulong)pages * Page)));

    private static Gen<IovaRange> Overlapping(IovaRange previous) =>
        Gen.Choose(0, 8).Select(pages =>
        {
            ulong start = previous.Start + Math.Min((ulong)pages * Page, previous.Last - previous.Start);
            return new IovaRange(start, Math.Max(previous.Last, start + Page - 1 < start ? ulong.MaxValue : start + Page - 1));
        });

    /// <summary>Fewer regions, then the plainest aperture and page sizes, then isolated.</summary>
    public static IEnumerable<IommuGroup> Shrink(IommuGroup group)
    {
        for (int i = 0; i < group.ResvRegions.Count; i++)
            yield return group with { ResvRegions = [.. group.ResvRegions.Take(i), .. group.ResvRegions.Skip(i + 1)] };
        if (group.Aperture != ReferencePlatform.Bits(64))
            yield return group with { Aperture = ReferencePlatform.Bits(64) };
        if (group.PgsizeBitmap != Vfio.PageSize)
            yield return group with { PgsizeBitmap = Vfio.PageSize };
        if (!group.MsiIsolated)
            yield return group with { MsiIsolated = true };
    }
}
