using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// io-pgtable-arm's ARM_64_LPAE_S1 map_pages, unmap_pages and iova_to_phys under a Linux profile's
/// rules (docs/SPEC.md §6), as a real table: granule-sized arrays of descriptors indexed from
/// the iova, a walk per run. Tables are freed only where the kernel frees them (a block mapped
/// over a table, or one unmapped whole); emptied ones stay, as the kernel's do. Levels are
/// numbered as the kernel numbers them, the leaf level 3. iommu.c's run splitting is
/// <see cref="IommuDomain"/>'s.
/// </summary>
public sealed class ArmLpaePgtable : IIoPgtableOps
{
    private const int Root = 0;

    private readonly ArmLpaeFormat format;
    private readonly IoPgtableConfig config;
    private readonly bool splitsBlocks;
    private readonly List<ulong[]> tables = [];
    private readonly Stack<int> freed = new();

    public ArmLpaePgtable(IoPgtableConfig config, PageTableRules rules)
    {
        if (rules == PageTableRules.Ideal || config.SoftwareBlocks)
            throw new ArgumentException("io-pgtable-arm has Arm's geometry and one of its versions' rules");
        this.config = config;
        format = new ArmLpaeFormat(config);
        splitsBlocks = rules == PageTableRules.ArmLpaeSplit;
        tables.Add(new ulong[format.PtesPerTable]);
    }

    public ulong PgsizeBitmap => format.PgsizeBitmap;

    private static bool IsLast(int level) => level == ArmLpaeFormat.LeafLevel;

    /// <summary>ARM_LPAE_LVL_IDX: the start level's index has only the pgd's bits, so the bits above ias fall away.</summary>
    private int Index(ulong iova, int level)
    {
        int bits = level == format.StartLevel ? config.Ias - format.Shift(level) : config.BitsPerLevel;
        return (int)((iova >> format.Shift(level)) & ((1UL << bits) - 1));
    }

    public Errno MapPages(ulong iova, ulong paddr, ulong pgsize, ulong pgcount, IommuProt prot, out ulong mapped)
    {
        mapped = 0;
        if (format.CheckMap(iova, paddr, pgsize, prot) is not Errno.Ok and var refused)
            return refused;

        int table = Root;
        for (int level = format.StartLevel; level < ArmLpaeFormat.MaxLevels; level++)
        {
            if (pgsize == format.BlockSize(level))
                return InitPtes(table, level, iova, paddr, Math.Min(pgcount, format.MaxEntries(iova, level)), prot, ref mapped);
            if (IsLast(level))
                return Errno.EINVAL;
            ref ulong entry = ref tables[table][Index(iova, level)];
            if (!Descriptor.IsValid(entry))
            {
                int child = AllocTable();
                entry = ref tables[table][Index(iova, level)];
                entry = Descriptor.Table(child);
            }
            else if (!Descriptor.IsTable(entry, lastLevel: false))
            {
                return Errno.EEXIST;
            }

            table = Descriptor.TableIndex(entry);
        }

        return Errno.EINVAL;
    }

    /// <summary>arm_lpae_init_pte: a leaf already there is EEXIST; a table there (an earlier entry's too) is freed first.</summary>
    private Errno InitPtes(int table, int level, ulong iova, ulong paddr, ulong count, IommuProt prot, ref ulong mapped)
    {
        int first = Index(iova, level);
        var ptes = tables[table];
        bool last = IsLast(level);
        for (int i = first; i < first + (int)count; i++)
        {
            if (!Descriptor.IsValid(ptes[i]))
                continue;
            if (!Descriptor.IsTable(ptes[i], last))
                return Errno.EEXIST;
            FreeSubtree(Descriptor.TableIndex(ptes[i]), level + 1);
            ptes[i] = Descriptor.Invalid;
        }

        if (!last)
            StructuralEvents.Note(StructuralEvent.PageTableBlockInstall);
        ulong size = format.BlockSize(level);
        for (ulong i = 0; i < count; i++)
            ptes[first + (int)i] = Descriptor.Leaf(format.OutputAddress(paddr + (i * size)), prot, last);
        mapped += count * size;
        return Errno.Ok;
    }

    public ulong UnmapPages(ulong iova, ulong pgsize, ulong pgcount)
    {
        if (!format.ValidPgsize(pgsize) || pgcount == 0 || format.OutsideIas(iova))
            return 0;
        return Unmap(Root, format.StartLevel, iova, pgsize, pgcount);
    }

    /// <summary>__arm_lpae_unmap: at the run's level, entries up to the first empty one are cleared, tables with all under them.</summary>
    private ulong Unmap(int table, int level, ulong iova, ulong size, ulong pgcount)
    {
        if (level == ArmLpaeFormat.MaxLevels)
            return 0;
        var ptes = tables[table];
        int at = Index(iova, level);
        if (!Descriptor.IsValid(ptes[at]))
            return 0;
        bool last = IsLast(level);

        if (size == format.BlockSize(level))
        {
            ulong count = Math.Min(pgcount, format.MaxEntries(iova, level));
            ulong cleared = 0;
            for (; cleared < count && Descriptor.IsValid(ptes[at + (int)cleared]); cleared++)
            {
                ref ulong entry = ref ptes[at + (int)cleared];
                if (Descriptor.IsTable(entry, last))
                    FreeSubtree(Descriptor.TableIndex(entry), level + 1);
                entry = Descriptor.Invalid;
            }

            return cleared * size;
        }

        if (Descriptor.IsTable(ptes[at], last))
            return Unmap(Descriptor.TableIndex(ptes[at]), level + 1, iova, size, pgcount);
        return splitsBlocks ? SplitBlock(ptes, at, level, iova, size, pgcount) : 0;
    }

    /// <summary>arm_lpae_split_blk_unmap (before v6.13): the block becomes a table of the next level's blocks less the run; a smaller run splits on.</summary>
    private ulong SplitBlock(ulong[] ptes, int at, int level, ulong iova, ulong size, ulong pgcount)
    {
        int child = level + 1;
        if (child == ArmLpaeFormat.MaxLevels)
            return 0;
        StructuralEvents.Note(StructuralEvent.PageTableBlockSplit);
        ulong block = ptes[at];
        ulong phys = Descriptor.OutputAddress(block, config.Granule - 1);
        var prot = Descriptor.Prot(block);
        ulong splitSize = format.BlockSize(child);
        int first = -1;
        ulong count = 0;
        if (size == splitSize)
        {
            first = Index(iova, child);
            count = Math.Min(pgcount, format.MaxEntries(iova, child));
        }

        int table = AllocTable();
        var split = tables[table];
        for (int i = 0; i < format.PtesPerTable; i++)
        {
            if (first >= 0 && i >= first && (ulong)(i - first) < count)
                continue;
            split[i] = Descriptor.Leaf(phys + ((ulong)i * splitSize), prot, IsLast(child));
        }

        ptes[at] = Descriptor.Table(table);
        return count != 0 ? count * size : Unmap(table, child, iova, size, pgcount);
    }

    public ulong IovaToPhys(ulong iova)
    {
        int table = Root;
        for (int level = format.StartLevel; level < ArmLpaeFormat.MaxLevels; level++)
        {
            ulong entry = tables[table][Index(iova, level)];
            if (!Descriptor.IsValid(entry))
                return 0;
            if (!Descriptor.IsTable(entry, IsLast(level)))
                return Descriptor.OutputAddress(entry, config.Granule - 1) | (iova & (format.BlockSize(level) - 1));
            table = Descriptor.TableIndex(entry);
        }

        return 0;
    }

    private int AllocTable()
    {
        if (freed.TryPop(out int reused))
            return reused;
        tables.Add(new ulong[format.PtesPerTable]);
        return tables.Count - 1;
    }

    /// <summary>__arm_lpae_free_pgtable: the table and every table under it back to the pool, cleared.</summary>
    private void FreeSubtree(int table, int level)
    {
        StructuralEvents.Note(StructuralEvent.PageTableTableFree);
        var ptes = tables[table];
        if (!IsLast(level))
        {
            foreach (ulong entry in ptes)
            {
                if (Descriptor.IsTable(entry, lastLevel: false))
                    FreeSubtree(Descriptor.TableIndex(entry), level + 1);
            }
        }

        Array.Clear(ptes);
        freed.Push(table);
    }
}
