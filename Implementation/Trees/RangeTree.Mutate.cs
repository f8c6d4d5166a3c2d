namespace Harness.Implementation;

/// <summary>
/// Insert with splits, remove with borrow-or-merge. Summaries are refreshed on the path back up,
/// in O(1) per node unless a maximal gap shrank, and only until one comes out unchanged.
/// </summary>
public sealed partial class RangeTree<TValue>
{
    /// <summary>Adds <c>[start, last]</c>; the caller guarantees it overlaps no range already in the tree.</summary>
    public void Insert(ulong start, ulong last, TValue value)
    {
        var leaf = DescendRecording(start);
        Node? split = InsertInto(leaf, LastAtOrBelow(leaf.Start, leaf.Count, start) + 1, start, last, value);
        Count++;

        Node child = leaf;
        for (int depth = height - 1; depth >= 0; depth--)
        {
            var branch = pathBranch[depth];
            int i = pathIndex[depth];
            if (split is null && branch.HasSummary(i, child.Own))
                return;
            branch.UpdateChild(i, child.Own);
            split = split is null ? null : InsertChild(branch, i + 1, split);
            child = branch;
        }

        if (split is not null)
        {
            var top = NewBranch();
            top.Count = 2;
            top.Child[0] = root;
            top.Child[1] = split;
            top.Store(0, root.Own);
            top.Store(1, split.Own);
            top.Refresh();
            root = top;
            height++;
            StructuralEvents.Note(StructuralEvent.TreeRootGrowth);
        }
    }

    /// <summary>Inserts at <paramref name="at"/>; a full leaf first splits in half. Returns the new right half, if any.</summary>
    private Leaf? InsertInto(Leaf leaf, int at, ulong start, ulong last, TValue value)
    {
        Leaf? right = null;
        if (leaf.Count == Width)
        {
            StructuralEvents.Note(StructuralEvent.TreeLeafSplit);
            right = NewLeaf();
            MoveEntries(leaf, Width / 2, right, 0, Width / 2);
            leaf.Count = right.Count = Width / 2;
            right.Next = leaf.Next;
            leaf.Next = right;
            leaf.Rescan();
            right.Rescan();
            if (at > Width / 2)
            {
                (leaf, at) = (right, at - (Width / 2));
            }
        }

        int before = leaf.Count;
        bool interior = at > 0 && at < before;
        var splitGap = interior ? (leaf.GapBefore(at), leaf.LeadFit[at]) : (0UL, GapFit.None);

        MoveEntries(leaf, at, leaf, at + 1, before - at);
        leaf.Start[at] = start;
        leaf.Last[at] = last;
        leaf.Value[at] = value;
        leaf.Count++;
        leaf.RefreshLead(at);
        leaf.RefreshLead(at + 1);

        if (before == 0 || (interior && !leaf.Own.Outranks(splitGap.Item1, splitGap.Item2)))
        {
            StructuralEvents.Note(StructuralEvent.TreeSummaryRescan);
            leaf.Rescan();
        }
        else if (!interior)
        {
            // A new first or last range adds one gap and loses none.
            int gapAt = at == 0 ? 1 : at;
            leaf.Own = (leaf.Own with { Start = leaf.Start[0], Last = leaf.Last[leaf.Count - 1] }).With(leaf.GapBefore(gapAt), leaf.LeadFit[gapAt]);
        }

        return right;
    }

    /// <summary>Inserts <paramref name="child"/> at <paramref name="at"/>; a full branch first splits. Returns the new right half, if any.</summary>
    private Branch? InsertChild(Branch branch, int at, Node child)
    {
        Branch? right = null;
        if (branch.Count == Width)
        {
            StructuralEvents.Note(StructuralEvent.TreeBranchSplit);
            right = NewBranch();
            MoveChildren(branch, Width / 2, right, 0, Width / 2);
            branch.Count = right.Count = Width / 2;
            branch.Refresh();
            right.Refresh();
            if (at > Width / 2)
            {
                (branch, at) = (right, at - (Width / 2));
            }
        }

        MoveChildren(branch, at, branch, at + 1, branch.Count - at);
        branch.Child[at] = child;
        branch.Count++;
        branch.Store(at, child.Own);
        branch.Refresh();
        return right;
    }

    /// <summary>Removes the range starting exactly at <paramref name="start"/>.</summary>
    public bool Remove(ulong start)
    {
        var leaf = DescendRecording(start);
        int at = LastAtOrBelow(leaf.Start, leaf.Count, start);
        if (at < 0 || leaf.Start[at] != start)
            return false;
        RemoveAndRebalance(leaf, at);
        return true;
    }

    /// <summary>In one descent: removes the range containing <paramref name="address"/> if its value is <paramref name="expected"/>.</summary>
    public bool RemoveIf(ulong address, TValue expected, out ulong start, out ulong last)
    {
        var leaf = DescendRecording(address);
        int at = LastAtOrBelow(leaf.Start, leaf.Count, address);
        if (at < 0 || leaf.Last[at] < address || !EqualityComparer<TValue>.Default.Equals(leaf.Value[at], expected))
        {
            (start, last) = (0, 0);
            return false;
        }

        (start, last) = (leaf.Start[at], leaf.Last[at]);
        RemoveAndRebalance(leaf, at);
        return true;
    }

    /// <summary>Removes entry <paramref name="at"/> of the leaf <see cref="DescendRecording"/> just reached, then fixes the path.</summary>
    private void RemoveAndRebalance(Leaf leaf, int at)
    {
        RemoveAt(leaf, at);
        Count--;

        Node child = leaf;
        for (int depth = height - 1; depth >= 0; depth--)
        {
            var branch = pathBranch[depth];
            int i = pathIndex[depth];
            if (child.Count < MinFill && branch.Count > 1)
            {
                Rebalance(branch, i);
            }
            else
            {
                if (branch.HasSummary(i, child.Own))
                    break;
                branch.UpdateChild(i, child.Own);
            }

            child = branch;
        }

        if (height > 0 && root.Count == 1)
        {
            var old = (Branch)root;
            root = old.Child[0];
            height--;
            StructuralEvents.Note(StructuralEvent.TreeRootShrink);
            Recycle(old);
        }
    }

    private static void RemoveAt(Leaf leaf, int at)
    {
        int before = leaf.Count;
        bool edge = at == 0 || at == before - 1;
        var lostGap = before < 2 || !edge ? (0UL, GapFit.None)
            : at == 0 ? (leaf.GapBefore(1), leaf.LeadFit[1]) : (leaf.GapBefore(at), leaf.LeadFit[at]);

        MoveEntries(leaf, at + 1, leaf, at, before - at - 1);
        leaf.Count--;
        leaf.RefreshLead(at);

        if (leaf.Count == 0 || (edge && !leaf.Own.Outranks(lostGap.Item1, lostGap.Item2)))
        {
            StructuralEvents.Note(StructuralEvent.TreeSummaryRescan);
            leaf.Rescan();
        }
        else if (edge)
            leaf.Own = leaf.Own with { Start = leaf.Start[0], Last = leaf.Last[leaf.Count - 1] };
        else
            leaf.Own = leaf.Own.With(leaf.GapBefore(at), leaf.LeadFit[at]); // the two gaps around the range merged
    }

    /// <summary>Child <paramref name="i"/> is underfull: merge it with a neighbour if both fit in one node, else even them out.</summary>
    private void Rebalance(Branch branch, int i)
    {
        int left = i > 0 ? i - 1 : i;
        var l = branch.Child[left];
        var r = branch.Child[left + 1];
        int total = l.Count + r.Count;
        if (total <= Width)
        {
            StructuralEvents.Note(l is Leaf ? StructuralEvent.TreeLeafMerge : StructuralEvent.TreeBranchMerge);
            MoveLeftward(l, r, r.Count);
            Recycle(r);
            MoveChildren(branch, left + 2, branch, left + 1, branch.Count - left - 2);
            branch.Count--;
            branch.Child[branch.Count] = null!;
            branch.Store(left, l.Own);
            branch.Refresh();
            return;
        }

        if (l.Count > total / 2)
        {
            StructuralEvents.Note(StructuralEvent.TreeBorrowFromLeft);
            MoveRightward(l, r, l.Count - (total / 2));
        }
        else
        {
            StructuralEvents.Note(StructuralEvent.TreeBorrowFromRight);
            MoveLeftward(l, r, (total / 2) - l.Count);
        }

        branch.Store(left, l.Own);
        branch.Store(left + 1, r.Own);
        branch.Refresh();
    }

    /// <summary>Moves the first <paramref name="count"/> entries of <paramref name="r"/> to the end of its left sibling <paramref name="l"/>.</summary>
    private static void MoveLeftward(Node l, Node r, int count)
    {
        int seam = l.Count;
        if (l is Leaf leftLeaf)
        {
            var rightLeaf = (Leaf)r;
            MoveEntries(rightLeaf, 0, leftLeaf, seam, count);
            MoveEntries(rightLeaf, count, rightLeaf, 0, rightLeaf.Count - count);
            leftLeaf.Count += count;
            rightLeaf.Count -= count;
            leftLeaf.RefreshLead(seam);
            if (rightLeaf.Count == 0)
                leftLeaf.Next = rightLeaf.Next;
            leftLeaf.Rescan();
            rightLeaf.Rescan();
            return;
        }

        var leftBranch = (Branch)l;
        var rightBranch = (Branch)r;
        MoveChildren(rightBranch, 0, leftBranch, seam, count);
        MoveChildren(rightBranch, count, rightBranch, 0, rightBranch.Count - count);
        leftBranch.Count += count;
        rightBranch.Count -= count;
        leftBranch.Refresh();
        if (rightBranch.Count > 0)
            rightBranch.Refresh();
    }

    /// <summary>Moves the last <paramref name="count"/> entries of <paramref name="l"/> to the front of its right sibling <paramref name="r"/>.</summary>
    private static void MoveRightward(Node l, Node r, int count)
    {
        int from = l.Count - count;
        if (l is Leaf leftLeaf)
        {
            var rightLeaf = (Leaf)r;
            MoveEntries(rightLeaf, 0, rightLeaf, count, rightLeaf.Count);
            MoveEntries(leftLeaf, from, rightLeaf, 0, count);
            leftLeaf.Count -= count;
            rightLeaf.Count += count;
            rightLeaf.RefreshLead(count);
            leftLeaf.Rescan();
            rightLeaf.Rescan();
            return;
        }

        var leftBranch = (Branch)l;
        var rightBranch = (Branch)r;
        MoveChildren(rightBranch, 0, rightBranch, count, rightBranch.Count);
        MoveChildren(leftBranch, from, rightBranch, 0, count);
        leftBranch.Count -= count;
        rightBranch.Count += count;
        leftBranch.Refresh();
        rightBranch.Refresh();
    }

    private static void MoveEntries(Leaf from, int fromAt, Leaf to, int toAt, int count)
    {
        if (count <= 0)
            return;
        ((Span<ulong>)from.Start).Slice(fromAt, count).CopyTo(((Span<ulong>)to.Start)[toAt..]);
        ((Span<ulong>)from.Last).Slice(fromAt, count).CopyTo(((Span<ulong>)to.Last)[toAt..]);
        ((Span<TValue>)from.Value).Slice(fromAt, count).CopyTo(((Span<TValue>)to.Value)[toAt..]);
        ((Span<GapFit>)from.LeadFit).Slice(fromAt, count).CopyTo(((Span<GapFit>)to.LeadFit)[toAt..]);
    }

    private static void MoveChildren(Branch from, int fromAt, Branch to, int toAt, int count)
    {
        if (count <= 0)
            return;
        ((Span<Node>)from.Child).Slice(fromAt, count).CopyTo(((Span<Node>)to.Child)[toAt..]);
        ((Span<ulong>)from.Start).Slice(fromAt, count).CopyTo(((Span<ulong>)to.Start)[toAt..]);
        ((Span<ulong>)from.Last).Slice(fromAt, count).CopyTo(((Span<ulong>)to.Last)[toAt..]);
        ((Span<ulong>)from.OwnGap).Slice(fromAt, count).CopyTo(((Span<ulong>)to.OwnGap)[toAt..]);
        ((Span<GapFit>)from.OwnFit).Slice(fromAt, count).CopyTo(((Span<GapFit>)to.OwnFit)[toAt..]);
        ((Span<GapFit>)from.InterFit).Slice(fromAt, count).CopyTo(((Span<GapFit>)to.InterFit)[toAt..]);
        ((Span<ulong>)from.LeadGap).Slice(fromAt, count).CopyTo(((Span<ulong>)to.LeadGap)[toAt..]);
        ((Span<GapFit>)from.LeadFit).Slice(fromAt, count).CopyTo(((Span<GapFit>)to.LeadFit)[toAt..]);
    }
}
