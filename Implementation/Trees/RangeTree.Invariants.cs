namespace Harness.Implementation;

/// <summary>The tree's invariant checker, beside it (as FreeBSD keeps iommu_gas's).</summary>
public sealed partial class RangeTree<TValue>
{
    /// <summary>Ordering, disjointness, AVL balance, and every subtree annotation recomputed from scratch.</summary>
    public void CheckInvariants()
    {
        int counted = Check(root, out _, out _, out _, out _);
        if (counted != Count)
            throw new InvariantViolation($"range tree holds {counted} nodes but counts {Count}");
        if (nodes[Nil].Height != 0 || nodes[Nil].SubGap != 0)
            throw new InvariantViolation("range tree's nil sentinel was written");
    }

    private int Check(int n, out int height, out ulong subStart, out ulong subLast, out ulong subGap)
    {
        (height, subStart, subLast, subGap) = (0, 0, 0, 0);
        if (n == Nil)
            return 0;
        ref var node = ref nodes[n];
        if (node.Last < node.Start)
            throw new InvariantViolation($"range [0x{node.Start:x}, 0x{node.Last:x}] is inverted");

        int count = 1 + Check(node.Left, out int lh, out ulong ls, out ulong ll, out ulong lg)
                      + Check(node.Right, out int rh, out ulong rs, out ulong rl, out ulong rg);
        subStart = node.Start;
        subLast = node.Last;
        subGap = Math.Max(lg, rg);
        if (node.Left != Nil)
        {
            if (ll >= node.Start)
                throw new InvariantViolation($"left subtree ends at 0x{ll:x}, not below 0x{node.Start:x}");
            subStart = ls;
            subGap = Math.Max(subGap, node.Start - ll - 1);
        }

        if (node.Right != Nil)
        {
            if (rs <= node.Last)
                throw new InvariantViolation($"right subtree starts at 0x{rs:x}, not above 0x{node.Last:x}");
            subLast = rl;
            subGap = Math.Max(subGap, rs - node.Last - 1);
        }

        height = 1 + Math.Max(lh, rh);
        if (Math.Abs(lh - rh) > 1)
            throw new InvariantViolation($"node 0x{node.Start:x} is out of AVL balance ({lh} vs {rh})");
        if (node.Height != height || node.SubStart != subStart || node.SubLast != subLast || node.SubGap != subGap)
            throw new InvariantViolation($"node 0x{node.Start:x} has stale annotations");
        return count;
    }
}
