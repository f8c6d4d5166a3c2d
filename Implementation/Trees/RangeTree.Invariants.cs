using Harness.Model;

namespace Harness.Implementation;

/// <summary>The tree's invariant checker, beside it (as FreeBSD keeps iommu_gas's).</summary>
public sealed partial class RangeTree<TValue>
{
    /// <summary>
    /// Ranges sorted and disjoint across the whole tree; every leaf at the same depth; every node
    /// but the root between <c>Width/4</c> and <c>Width</c> full; every cached child summary and
    /// lead equal to one recomputed from scratch; the leaf chain in order; the count right.
    /// </summary>
    public void CheckInvariants()
    {
        var leaves = new List<Leaf>();
        ulong? previousLast = null;
        int counted = Check(root, height, isRoot: true, leaves, ref previousLast);
        if (counted != Count)
            throw new InvariantViolation($"range tree holds {counted} ranges but counts {Count}");
        if (root.Count > 0 && root.Own != Recomputed(root))
            throw new InvariantViolation("the root has a stale own summary");
        for (int i = 0; i < leaves.Count; i++)
        {
            if (leaves[i].Next != (i + 1 < leaves.Count ? leaves[i + 1] : null))
                throw new InvariantViolation($"leaf chain broken after leaf {i}");
        }
    }

    private static int Check(Node node, int level, bool isRoot, List<Leaf> leaves, ref ulong? previousLast)
    {
        if (node.Count > Width || (!isRoot && node.Count < MinFill) || (isRoot && level > 0 && node.Count < 2))
            throw new InvariantViolation($"node at level {level} holds {node.Count} entries");

        if (level == 0)
        {
            var leaf = (Leaf)node;
            leaves.Add(leaf);
            for (int i = 0; i < leaf.Count; i++)
            {
                if (leaf.Last[i] < leaf.Start[i] || (previousLast is ulong last && leaf.Start[i] <= last))
                    throw new InvariantViolation($"range [0x{leaf.Start[i]:x}, 0x{leaf.Last[i]:x}] is inverted or overlaps its predecessor");
                if (i > 0 && leaf.LeadFit[i] != GapFit.Between(leaf.Last[i - 1], leaf.Start[i]))
                    throw new InvariantViolation($"leaf entry 0x{leaf.Start[i]:x} has a stale gap summary");
                previousLast = leaf.Last[i];
            }

            return leaf.Count;
        }

        var branch = (Branch)node;
        int count = 0;
        for (int i = 0; i < branch.Count; i++)
        {
            count += Check(branch.Child[i], level - 1, isRoot: false, leaves, ref previousLast);
            var actual = Recomputed(branch.Child[i]);
            if (branch.Child[i].Own != actual)
                throw new InvariantViolation($"child {i} at level {level} has a stale own summary");
            if (actual != new Summary(branch.Start[i], branch.Last[i], branch.OwnGap[i], branch.OwnFit[i]))
                throw new InvariantViolation($"branch child {i} at level {level} has a stale summary");
            ulong leadGap = i == 0 ? actual.Gap : Math.Max(actual.Gap, actual.Start - branch.Last[i - 1] - 1);
            var leadFit = i == 0 ? actual.Fit : GapFit.Best(actual.Fit, GapFit.Between(branch.Last[i - 1], actual.Start));
            var interFit = i == 0 ? GapFit.None : GapFit.Between(branch.Last[i - 1], actual.Start);
            if (branch.InterFit[i] != interFit || branch.LeadGap[i] != leadGap || branch.LeadFit[i] != leadFit)
                throw new InvariantViolation($"branch child {i} at level {level} has a stale lead summary");
        }

        return count;
    }

    /// <summary>A node's summary from its entries, ignoring every cache.</summary>
    private static Summary Recomputed(Node node)
    {
        if (node is Leaf leaf)
        {
            var own = new Summary(leaf.Start[0], leaf.Last[leaf.Count - 1], 0, GapFit.None);
            for (int i = 1; i < leaf.Count; i++)
                own = own.With(leaf.GapBefore(i), GapFit.Between(leaf.Last[i - 1], leaf.Start[i]));
            return own;
        }

        var branch = (Branch)node;
        var summary = new Summary(branch.Start[0], branch.Last[branch.Count - 1], 0, GapFit.None);
        for (int i = 0; i < branch.Count; i++)
        {
            var child = Recomputed(branch.Child[i]);
            summary = summary.With(child.Gap, child.Fit);
            if (i > 0)
                summary = summary.With(branch.Start[i] - branch.Last[i - 1] - 1, GapFit.Between(branch.Last[i - 1], branch.Start[i]));
        }

        return summary;
    }
}
