using Harness.Model;

namespace Harness.Implementation;

public sealed partial class IoPageTable
{
    /// <summary>
    /// Unmaps from <paramref name="iova"/> up, a whole leaf at a time, splitting a block that the
    /// range only partly covers; stops at the first unmapped granule. Returns the bytes unmapped.
    /// </summary>
    public ulong Unmap(ulong iova, ulong size)
    {
        if (size == 0 || ((iova | size) & granuleMask) != 0)
            return 0;
        ulong last = iova + (size - 1);
        if (last < iova || last > Config.IovaLast)
            return 0;

        Span<int> path = stackalloc int[levels];
        ulong unmapped = 0;
        while (true)
        {
            int table = Root, level = 0;
            for (; ; level++)
            {
                path[level] = table;
                ulong entry = Entry(table, Index(iova, level));
                if (Descriptor.IsLeaf(entry, IsLastLevel(level)))
                    break;
                if (!Descriptor.IsTable(entry, IsLastLevel(level)))
                    return unmapped;
                table = Descriptor.TableIndex(entry);
            }

            ulong block = BlockSize(level);
            if ((iova & (block - 1)) != 0 || last - iova < block - 1)
            {
                Split(table, Index(iova, level), level);
                continue;
            }

            for (int index = Index(iova, level); ; index++)
            {
                ulong blockLast = iova + (block - 1);
                Entry(table, index) = Descriptor.Invalid;
                validCount[table]--;
                unmapped += block;
                if (blockLast == last)
                {
                    Reclaim(path, level, iova);
                    return unmapped;
                }

                iova = blockLast + 1;
                if (index + 1 == entriesPerTable || last - iova < block - 1
                    || !Descriptor.IsLeaf(Entry(table, index + 1), IsLastLevel(level)))
                {
                    Reclaim(path, level, blockLast);
                    break;
                }
            }
        }
    }

    /// <summary>Replaces the block at <paramref name="index"/> with a table of next-level leaves mapping the same addresses.</summary>
    private void Split(int table, int index, int level)
    {
        StructuralEvents.Note(StructuralEvent.PageTableBlockSplit);
        ulong block = Entry(table, index);
        ulong outputAddress = Descriptor.OutputAddress(block, granuleMask);
        var prot = Descriptor.Prot(block);
        int child = AllocTable();
        bool childLast = IsLastLevel(level + 1);
        ulong childSize = BlockSize(level + 1);
        for (int i = 0; i < entriesPerTable; i++)
            Entry(child, i) = Descriptor.Leaf(outputAddress + ((ulong)i * childSize), prot, childLast);
        validCount[child] = entriesPerTable;
        Entry(table, index) = Descriptor.Table(child);
    }

    /// <summary>Frees every table on the path that no longer holds a valid entry, bottom up (the root stays).</summary>
    private void Reclaim(Span<int> path, int level, ulong iovaInTable)
    {
        for (; level > 0 && validCount[path[level]] == 0; level--)
        {
            FreeTable(path[level]);
            Entry(path[level - 1], Index(iovaInTable, level - 1)) = Descriptor.Invalid;
            validCount[path[level - 1]]--;
        }
    }
}
