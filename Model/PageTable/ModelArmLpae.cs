using System.Collections.Immutable;

namespace Harness.Model;

/// <summary>
/// drivers/iommu/io-pgtable-arm.c's ARM_64_LPAE_S1 table as its map_pages, unmap_pages and
/// iova_to_phys behave (docs/SPEC.md §6), one descriptor per (level, block base): what iommu_map
/// and iommu_unmap observe depends on which entries are tables and which are leaves, so the model
/// keeps exactly that. Levels are numbered as the kernel numbers them, the leaf level 3.
/// </summary>
public sealed class ModelArmLpae : IIoPgtableOps
{
    private readonly record struct Pte(bool Table, ulong Phys, IommuProt Prot);

    /// <summary>Immutable, so a snapshot of the model (one per call, for the state machine) costs nothing.</summary>
    private ImmutableDictionary<(int Level, ulong Base), Pte> ptes = ImmutableDictionary<(int Level, ulong Base), Pte>.Empty;

    /// <summary>Every entry by (base, level): a table's subtree is one contiguous run, and the leaves come out ascending.</summary>
    private ImmutableSortedSet<(ulong Base, int Level)> order = ImmutableSortedSet<(ulong Base, int Level)>.Empty;
    private readonly IoPgtableConfig config;
    private readonly ArmLpaeFormat format;
    private readonly bool splitsBlocks;

    public ModelArmLpae(IoPgtableConfig config, PageTableRules rules)
    {
        if (rules == PageTableRules.Ideal || config.SoftwareBlocks)
            throw new ArgumentException("io-pgtable-arm has Arm's geometry and one of its versions' rules");
        this.config = config;
        format = new ArmLpaeFormat(config);
        splitsBlocks = rules == PageTableRules.ArmLpaeSplit;
    }

    public ulong PgsizeBitmap => format.PgsizeBitmap;

    /// <summary>The base of the entry at <paramref name="level"/> that covers iova, the bits above ias dropped as ARM_LPAE_LVL_IDX drops them.</summary>
    private ulong Base(ulong iova, int level) => iova & config.IovaLast & ~(format.BlockSize(level) - 1);

    public Errno MapPages(ulong iova, ulong paddr, ulong pgsize, ulong pgcount, IommuProt prot, out ulong mapped)
    {
        mapped = 0;
        if (format.CheckMap(iova, paddr, pgsize, prot) is not Errno.Ok and var refused)
            return refused;

        for (int level = format.StartLevel; level < ArmLpaeFormat.MaxLevels; level++)
        {
            ulong key = Base(iova, level);
            if (pgsize == format.BlockSize(level))
                return InitPtes(level, key, paddr, Math.Min(pgcount, format.MaxEntries(iova, level)), prot, ref mapped);
            if (level == ArmLpaeFormat.MaxLevels - 1)
                return Errno.EINVAL;
            if (!ptes.TryGetValue((level, key), out var pte))
                Set(level, key, new Pte(Table: true, 0, IommuProt.None));
            else if (!pte.Table)
                return Errno.EEXIST;
        }

        return Errno.EINVAL;
    }

    /// <summary>arm_lpae_init_pte: a leaf already there is EEXIST; a table there (an earlier entry's too) is unmapped and freed first.</summary>
    private Errno InitPtes(int level, ulong key, ulong paddr, ulong count, IommuProt prot, ref ulong mapped)
    {
        ulong size = format.BlockSize(level);
        for (ulong i = 0; i < count; i++)
        {
            if (!ptes.TryGetValue((level, key + (i * size)), out var pte))
                continue;
            if (!pte.Table)
                return Errno.EEXIST;
            FreeTable(level, key + (i * size));
        }

        for (ulong i = 0; i < count; i++)
            Set(level, key + (i * size), new Pte(Table: false, format.OutputAddress(paddr + (i * size)), prot));
        mapped += count * size;
        return Errno.Ok;
    }

    /// <summary>Clears the table entry at (level, key) and frees everything under it.</summary>
    private void FreeTable(int level, ulong key)
    {
        Remove(level, key);
        ulong last = key + format.BlockSize(level) - 1;
        int first = order.IndexOf((key, level + 1));
        first = first < 0 ? ~first : first;
        var subtree = new List<(ulong Base, int Level)>();
        for (int i = first; i < order.Count && order[i].Base <= last; i++)
            subtree.Add(order[i]);
        foreach (var (below, at) in subtree)
            Remove(at, below);
    }

    private void Set(int level, ulong key, Pte pte)
    {
        ptes = ptes.SetItem((level, key), pte);
        order = order.Add((key, level));
    }

    private void Remove(int level, ulong key)
    {
        ptes = ptes.Remove((level, key));
        order = order.Remove((key, level));
    }

    public ulong UnmapPages(ulong iova, ulong pgsize, ulong pgcount)
    {
        if (!format.ValidPgsize(pgsize) || pgcount == 0 || format.OutsideIas(iova))
            return 0;
        return Unmap(format.StartLevel, iova, pgsize, pgcount);
    }

    /// <summary>__arm_lpae_unmap: at the run's level, entries up to the first empty one are cleared, tables with all under them.</summary>
    private ulong Unmap(int level, ulong iova, ulong size, ulong pgcount)
    {
        if (level == ArmLpaeFormat.MaxLevels)
            return 0;
        ulong key = Base(iova, level);
        if (!ptes.TryGetValue((level, key), out var pte))
            return 0;

        if (size == format.BlockSize(level))
        {
            ulong count = Math.Min(pgcount, format.MaxEntries(iova, level));
            ulong cleared = 0;
            for (; cleared < count; cleared++)
            {
                ulong at = key + (cleared * size);
                if (!ptes.TryGetValue((level, at), out var entry))
                    break;
                if (entry.Table)
                    FreeTable(level, at);
                else
                    Remove(level, at);
            }

            return cleared * size;
        }

        if (pte.Table)
            return Unmap(level + 1, iova, size, pgcount);
        return splitsBlocks ? SplitBlock(level, key, pte, iova, size, pgcount) : 0;
    }

    /// <summary>
    /// arm_lpae_split_blk_unmap (before v6.13): the block becomes a table of the next level's
    /// blocks, less the run when it is of that size; a smaller run goes on splitting.
    /// </summary>
    private ulong SplitBlock(int level, ulong key, Pte block, ulong iova, ulong size, ulong pgcount)
    {
        int child = level + 1;
        if (child == ArmLpaeFormat.MaxLevels)
            return 0;
        ulong splitSize = format.BlockSize(child);
        ulong first = ulong.MaxValue, count = 0;
        if (size == splitSize)
        {
            first = (iova >> format.Shift(child)) & (ulong)(format.PtesPerTable - 1);
            count = Math.Min(pgcount, format.MaxEntries(iova, child));
        }

        Set(level, key, new Pte(Table: true, 0, IommuProt.None));
        for (ulong i = 0; i < (ulong)format.PtesPerTable; i++)
        {
            if (i - first < count)
                continue;
            Set(child, key + (i * splitSize), block with { Phys = block.Phys + (i * splitSize) });
        }

        return count != 0 ? count * size : Unmap(child, iova, size, pgcount);
    }

    public ulong IovaToPhys(ulong iova)
    {
        for (int level = format.StartLevel; level < ArmLpaeFormat.MaxLevels; level++)
        {
            if (!ptes.TryGetValue((level, Base(iova, level)), out var pte))
                return 0;
            if (!pte.Table)
                return pte.Phys | (iova & (format.BlockSize(level) - 1));
        }

        return 0;
    }

    /// <summary>The leaves, ascending, runs contiguous in iova and phys with one prot joined (lazily): where a comparison should probe.</summary>
    public IEnumerable<(IovaRange Range, ulong Phys, IommuProt Prot)> Extents
    {
        get
        {
            (IovaRange Range, ulong Phys, IommuProt Prot)? run = null;
            foreach (var (key, level) in order)
            {
                var pte = ptes[(level, key)];
                if (pte.Table)
                    continue;
                var leaf = new IovaRange(key, key + format.BlockSize(level) - 1);
                if (run is var (range, phys, prot) && prot == pte.Prot && range.Last + 1 == key && phys + (key - range.Start) == pte.Phys)
                {
                    run = (new IovaRange(range.Start, leaf.Last), phys, prot);
                    continue;
                }

                if (run is { } done)
                    yield return done;
                run = (leaf, pte.Phys, pte.Prot);
            }

            if (run is { } last)
                yield return last;
        }
    }

    /// <summary>An independent copy (for state-machine snapshots).</summary>
    public ModelArmLpae Clone()
    {
        return new ModelArmLpae(config, splitsBlocks ? PageTableRules.ArmLpaeSplit : PageTableRules.ArmLpaeNoSplit) { ptes = ptes, order = order };
    }
}
