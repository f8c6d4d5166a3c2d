using Harness.Model;

namespace Harness.Implementation;

public sealed partial class IoPageTable
{
    /// <summary>
    /// Every table reachable once; counts match; tables only above the last level, blocks only
    /// where their size is supported; output addresses aligned; no empty table left hanging;
    /// every table either reachable or in the free pool.
    /// </summary>
    public void CheckInvariants()
    {
        var reachable = new HashSet<int> { Root };
        CheckTable(Root, 0, reachable);
        var pooled = new HashSet<int>(freeTables.Take(freeCount));
        if (pooled.Overlaps(reachable) || pooled.Count != freeCount)
            throw new InvariantViolation("a pooled table is still referenced, or pooled twice");
        if (reachable.Count + freeCount != tablesAllocated)
            throw new InvariantViolation($"{tablesAllocated} tables allocated but {reachable.Count} reachable and {freeCount} pooled");
    }

    private void CheckTable(int table, int level, HashSet<int> reachable)
    {
        bool lastLevel = IsLastLevel(level);
        int valid = 0;
        for (int index = 0; index < entriesPerTable; index++)
        {
            ulong entry = Entry(table, index);
            if (!Descriptor.IsValid(entry))
                continue;
            valid++;
            if (Descriptor.IsTable(entry, lastLevel))
            {
                int child = Descriptor.TableIndex(entry);
                if ((uint)child >= (uint)tablesAllocated || !reachable.Add(child))
                    throw new InvariantViolation($"table {table}[{index}] points at table {child}, out of range or shared");
                CheckTable(child, level + 1, reachable);
                continue;
            }

            if (!Descriptor.IsLeaf(entry, lastLevel) || (BlockSize(level) & pgsizeBitmap) == 0)
                throw new InvariantViolation($"table {table}[{index}] at level {level} holds a descriptor 0x{entry:x} of a size the granule does not support");
            if ((Descriptor.OutputAddress(entry, granuleMask) & (BlockSize(level) - 1) & outputAlignmentMask) != 0)
                throw new InvariantViolation($"leaf 0x{entry:x} at level {level} is not aligned to its size");
            if ((Descriptor.Prot(entry) & (IommuProt.Read | IommuProt.Write)) == 0)
                throw new InvariantViolation($"leaf 0x{entry:x} has neither read nor write");
        }

        if (valid != validCount[table])
            throw new InvariantViolation($"table {table} holds {valid} valid entries but counts {validCount[table]}");
        if (valid == 0 && table != Root)
            throw new InvariantViolation($"empty table {table} at level {level} was not reclaimed");
    }

    /// <summary>How many leaves of each size are installed (for checking that Map uses the largest pages).</summary>
    public IReadOnlyDictionary<ulong, int> LeafCounts()
    {
        var counts = new SortedDictionary<ulong, int>();
        CountLeaves(Root, 0, counts);
        return counts;
    }

    private void CountLeaves(int table, int level, SortedDictionary<ulong, int> counts)
    {
        for (int index = 0; index < entriesPerTable; index++)
        {
            ulong entry = Entry(table, index);
            if (Descriptor.IsTable(entry, IsLastLevel(level)))
                CountLeaves(Descriptor.TableIndex(entry), level + 1, counts);
            else if (Descriptor.IsLeaf(entry, IsLastLevel(level)))
                counts[BlockSize(level)] = counts.GetValueOrDefault(BlockSize(level)) + 1;
        }
    }
}
