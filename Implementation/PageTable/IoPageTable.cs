using System.Numerics;
using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// The optimized translation path (docs/SPEC.md §6): an Arm LPAE-style multi-level table. Tables are
/// granule-sized slices of one pooled descriptor array; a table whose last entry is cleared is
/// returned to the pool. Map installs the largest pages iommu_pgsize allows; unmapping part of
/// a block first splits it into a table of the next level down.
/// </summary>
public sealed partial class IoPageTable : IIoPageTable, IInvariantChecked
{
    private const int Root = 0;
    private readonly int entriesPerTable;
    private readonly int levels;
    private readonly int[] levelShift;
    private readonly ulong granuleMask;
    private readonly ulong pgsizeBitmap;
    private readonly ulong outputAlignmentMask;

    private ulong[] entries;
    private int[] validCount;
    private int[] freeTables;
    private int freeCount;
    private int tablesAllocated;

    public IoPageTable(IoPgtableConfig config)
    {
        Config = config;
        entriesPerTable = 1 << config.BitsPerLevel;
        levels = config.Levels;
        levelShift = new int[levels];
        for (int level = 0; level < levels; level++)
            levelShift[level] = config.GranuleShift + (config.BitsPerLevel * (levels - 1 - level));
        granuleMask = config.Granule - 1;
        pgsizeBitmap = config.PgsizeBitmap;
        outputAlignmentMask = config.SoftwareBlocks ? 0 : ulong.MaxValue;
        entries = new ulong[entriesPerTable * 4];
        validCount = new int[4];
        freeTables = new int[4];
        tablesAllocated = 1;
    }

    public IoPgtableConfig Config { get; }

    /// <summary>Tables reachable from the root, the root included.</summary>
    public int TablesInUse => tablesAllocated - freeCount;

    private bool IsLastLevel(int level) => level == levels - 1;

    private ulong BlockSize(int level) => 1UL << levelShift[level];

    private int Index(ulong iova, int level) => (int)((iova >> levelShift[level]) & (ulong)(entriesPerTable - 1));

    private ref ulong Entry(int table, int index) => ref entries[(table * entriesPerTable) + index];

    public Errno Map(ulong iova, ulong phys, ulong size, IommuProt prot)
    {
        if (!IommuProtRules.IsMappable(prot))
            return Errno.EINVAL;
        if (size == 0 || ((iova | phys | size) & granuleMask) != 0)
            return Errno.EINVAL;
        ulong last = iova + (size - 1);
        if (last < iova || last > Config.IovaLast || phys + (size - 1) < phys)
            return Errno.ERANGE;
        if (!IsUnmapped(Root, 0, iova, last))
            return Errno.EEXIST;

        while (size != 0)
        {
            ulong pgsize = PageSize(iova, phys, size);
            int level = LevelOf(pgsize);
            int table = WalkCreate(iova, level);
            bool lastLevel = IsLastLevel(level);
            if (!lastLevel)
                StructuralEvents.Note(StructuralEvent.PageTableBlockInstall);
            for (int index = Index(iova, level); ; index++)
            {
                Entry(table, index) = Descriptor.Leaf(phys, prot, lastLevel);
                validCount[table]++;
                iova += pgsize;
                phys += pgsize;
                size -= pgsize;
                if (size == 0 || index + 1 == entriesPerTable || PageSize(iova, phys, size) != pgsize)
                    break;
            }
        }

        return Errno.Ok;
    }

    /// <summary>
    /// iommu_pgsize: the largest supported size that fits <paramref name="size"/> and to which iova
    /// and phys are both aligned (iova alone with software blocks).
    /// </summary>
    private ulong PageSize(ulong iova, ulong phys, ulong size)
    {
        ulong fits = pgsizeBitmap & BitsUpTo(BitOperations.Log2(size));
        ulong merged = iova | (phys & outputAlignmentMask);
        if (merged != 0)
            fits &= BitsUpTo(BitOperations.TrailingZeroCount(merged));
        return 1UL << BitOperations.Log2(fits);
    }

    /// <summary>GENMASK(bit, 0).</summary>
    private static ulong BitsUpTo(int bit) => (2UL << bit) - 1;

    private int LevelOf(ulong pgsize) => levels - 1 - ((BitOperations.Log2(pgsize) - Config.GranuleShift) / Config.BitsPerLevel);

    /// <summary>The table at <paramref name="level"/> covering <paramref name="iova"/>, creating tables on the way.</summary>
    private int WalkCreate(ulong iova, int level)
    {
        int table = Root;
        for (int l = 0; l < level; l++)
        {
            ref ulong entry = ref Entry(table, Index(iova, l));
            if (!Descriptor.IsValid(entry))
            {
                int child = AllocTable();
                Entry(table, Index(iova, l)) = Descriptor.Table(child);
                validCount[table]++;
                table = child;
            }
            else
            {
                table = Descriptor.TableIndex(entry);
            }
        }

        return table;
    }

    /// <summary>
    /// Nothing is mapped in <c>[lo, hi]</c> below <paramref name="table"/> (which covers that span at
    /// <paramref name="level"/>). <see cref="Index"/> reads only each level's own bits, so a block the
    /// span covers whole is passed down as <c>[0, ~0]</c>.
    /// </summary>
    private bool IsUnmapped(int table, int level, ulong lo, ulong hi)
    {
        bool lastLevel = IsLastLevel(level);
        int first = Index(lo, level), final = Index(hi, level);
        for (int index = first; index <= final; index++)
        {
            ulong entry = Entry(table, index);
            if (!Descriptor.IsValid(entry))
                continue;
            if (!Descriptor.IsTable(entry, lastLevel))
                return false;
            if (!IsUnmapped(Descriptor.TableIndex(entry), level + 1, index == first ? lo : 0, index == final ? hi : ulong.MaxValue))
                return false;
        }

        return true;
    }

    public bool Translate(ulong iova, out ulong phys, out IommuProt prot)
    {
        int table = Root;
        for (int level = iova <= Config.IovaLast ? 0 : levels; level < levels; level++)
        {
            ulong entry = Entry(table, Index(iova, level));
            bool lastLevel = level == levels - 1;
            if (Descriptor.IsLeaf(entry, lastLevel))
            {
                phys = Descriptor.OutputAddress(entry, granuleMask) + (iova & (BlockSize(level) - 1));
                prot = Descriptor.Prot(entry);
                return true;
            }

            if (!Descriptor.IsTable(entry, lastLevel))
                break;
            table = Descriptor.TableIndex(entry);
        }

        phys = 0;
        prot = IommuProt.None;
        return false;
    }

    private int AllocTable()
    {
        int table;
        if (freeCount > 0)
        {
            table = freeTables[--freeCount];
        }
        else
        {
            table = tablesAllocated++;
            if ((long)tablesAllocated * entriesPerTable > entries.Length)
            {
                Array.Resize(ref entries, entries.Length * 2);
                Array.Resize(ref validCount, validCount.Length * 2);
                Array.Resize(ref freeTables, freeTables.Length * 2);
            }
        }

        validCount[table] = 0;
        return table;
    }

    private void FreeTable(int table)
    {
        StructuralEvents.Note(StructuralEvent.PageTableTableFree);
        Array.Clear(entries, table * entriesPerTable, entriesPerTable);
        freeTables[freeCount++] = table;
    }
}
