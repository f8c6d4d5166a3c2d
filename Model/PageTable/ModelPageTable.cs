namespace Harness.Model;

/// <summary>
/// The reference translation path (docs/SPEC.md §6): a list of mapped extents, each
/// <c>iova range → phys, prot</c>. How a real table splits a range into pages and blocks is
/// not observable through Map/Unmap/Translate, so the model does not split at all: unmapping
/// part of an extent simply leaves the rest of it translated.
/// </summary>
public sealed class ModelPageTable : IIoPageTable
{
    private readonly record struct Extent(IovaRange Range, ulong Phys, IommuProt Prot);

    private readonly List<Extent> extents = [];

    public ModelPageTable(IoPgtableConfig config) => Config = config;

    public IoPgtableConfig Config { get; }

    /// <summary>Every mapped extent (iova range, phys, prot), ascending: where a comparison should probe.</summary>
    public IEnumerable<(IovaRange Range, ulong Phys, IommuProt Prot)> Extents =>
        extents.OrderBy(e => e.Range.Start).Select(e => (e.Range, e.Phys, e.Prot)).ToList();

    /// <summary>An independent copy (for state-machine snapshots).</summary>
    public ModelPageTable Clone()
    {
        var copy = new ModelPageTable(Config);
        copy.extents.AddRange(extents);
        return copy;
    }

    /// <summary>Checks in order: prot (EINVAL), alignment to the granule (EINVAL), range (ERANGE), overlap (EEXIST).</summary>
    public Errno Map(ulong iova, ulong phys, ulong size, IommuProt prot)
    {
        if (!IommuProtRules.IsMappable(prot))
            return Errno.EINVAL;
        ulong granule = Config.Granule;
        if (size == 0 || iova % granule != 0 || phys % granule != 0 || size % granule != 0)
            return Errno.EINVAL;
        if (!IovaRange.TryFromSize(iova, size, out var range) || range.Last > Config.IovaLast
            || !IovaRange.TryFromSize(phys, size, out _))
            return Errno.ERANGE;
        if (extents.Any(e => e.Range.Overlaps(range)))
            return Errno.EEXIST;

        extents.Add(new Extent(range, phys, prot));
        return Errno.Ok;
    }

    public ulong Unmap(ulong iova, ulong size)
    {
        ulong granule = Config.Granule;
        if (size == 0 || iova % granule != 0 || size % granule != 0
            || !IovaRange.TryFromSize(iova, size, out var range) || range.Last > Config.IovaLast)
            return 0;

        ulong unmapped = 0;
        ulong cursor = iova;
        while (true)
        {
            int index = extents.FindIndex(e => e.Range.Contains(cursor));
            if (index < 0)
                return unmapped;

            var extent = extents[index];
            ulong cutLast = Math.Min(extent.Range.Last, range.Last);
            extents.RemoveAt(index);
            if (extent.Range.Start < cursor)
                extents.Add(extent with { Range = new IovaRange(extent.Range.Start, cursor - 1) });
            if (cutLast < extent.Range.Last)
                extents.Add(new Extent(new IovaRange(cutLast + 1, extent.Range.Last), extent.Phys + (cutLast + 1 - extent.Range.Start), extent.Prot));

            unmapped += cutLast - cursor + 1;
            if (cutLast == range.Last)
                return unmapped;
            cursor = cutLast + 1;
        }
    }

    public bool Translate(ulong iova, out ulong phys, out IommuProt prot)
    {
        foreach (var extent in extents)
        {
            if (extent.Range.Contains(iova))
            {
                phys = extent.Phys + (iova - extent.Range.Start);
                prot = extent.Prot;
                return true;
            }
        }

        phys = 0;
        prot = IommuProt.None;
        return false;
    }
}
