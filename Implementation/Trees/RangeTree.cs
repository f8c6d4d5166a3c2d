namespace Harness.Implementation;

/// <summary>
/// A B+tree of disjoint inclusive ranges <c>[Start, Last]</c>, each with a value: up to
/// <see cref="Width"/> ranges per leaf and children per branch, stored inline in pooled nodes, so
/// a lookup touches a handful of cache lines even at a million ranges and steady-state insert and
/// remove allocate nothing. Every branch keeps, per child, the child's span and a summary of the
/// gaps inside it (largest gap, and the <see cref="GapFit"/> of the best-aligned one), so
/// <see cref="TryFindHighestFit"/> and <see cref="TryFindLowestFit"/> know exactly which subtrees can
/// hold a request: O(log n) whatever the fragmentation.
/// </summary>
public sealed partial class RangeTree<TValue>
    where TValue : struct
{
    public const int Width = 16;
    private const int MinFill = Width / 4;
    private const int MaxHeight = 16;

    private readonly Branch[] pathBranch = new Branch[MaxHeight];
    private readonly int[] pathIndex = new int[MaxHeight];
    private readonly Stack<Leaf> spareLeaves = new();
    private readonly Stack<Branch> spareBranches = new();
    private Node root = new Leaf();
    private int height;

    public int Count { get; private set; }

    public void Clear()
    {
        root = NewLeaf();
        height = 0;
        Count = 0;
    }

    /// <summary>The range containing <paramref name="address"/>.</summary>
    public bool FindContaining(ulong address, out ulong start, out ulong last, out TValue value)
    {
        var leaf = LeafFor(address);
        int i = LastAtOrBelow(leaf.Start, leaf.Count, address);
        if (i >= 0 && leaf.Last[i] >= address)
        {
            (start, last, value) = (leaf.Start[i], leaf.Last[i], leaf.Value[i]);
            return true;
        }

        (start, last, value) = (0, 0, default);
        return false;
    }

    /// <summary>The highest range starting at or below <paramref name="address"/>.</summary>
    public bool FindLastStartingAtOrBelow(ulong address, out ulong start, out ulong last)
    {
        var leaf = LeafFor(address);
        int i = LastAtOrBelow(leaf.Start, leaf.Count, address);
        (start, last) = i >= 0 ? (leaf.Start[i], leaf.Last[i]) : (0, 0);
        return i >= 0;
    }

    /// <summary>The lowest range that overlaps <c>[lo, hi]</c>.</summary>
    public bool FindFirstOverlapping(ulong lo, ulong hi, out ulong start, out ulong last, out TValue value)
    {
        (start, last, value) = (0, 0, default);
        var node = root;
        for (int level = height; level > 0; level--)
        {
            var branch = (Branch)node;
            int i = FirstAtOrAbove(branch.Last, branch.Count, lo);
            if (i == branch.Count)
                return false;
            node = branch.Child[i];
        }

        var leaf = (Leaf)node;
        int j = FirstAtOrAbove(leaf.Last, leaf.Count, lo);
        if (j == leaf.Count || leaf.Start[j] > hi)
            return false;
        (start, last, value) = (leaf.Start[j], leaf.Last[j], leaf.Value[j]);
        return true;
    }

    /// <summary>Replaces the value of the range starting exactly at <paramref name="start"/>.</summary>
    public bool TrySetValue(ulong start, TValue value)
    {
        var leaf = LeafFor(start);
        int i = LastAtOrBelow(leaf.Start, leaf.Count, start);
        if (i < 0 || leaf.Start[i] != start)
            return false;
        leaf.Value[i] = value;
        return true;
    }

    /// <summary>Every range in ascending order (for snapshots and invariant checks).</summary>
    public IEnumerable<(ulong Start, ulong Last, TValue Value)> InOrder()
    {
        var node = root;
        for (int level = height; level > 0; level--)
            node = ((Branch)node).Child[0];
        for (var leaf = (Leaf?)node; leaf is not null; leaf = leaf.Next)
        {
            for (int i = 0; i < leaf.Count; i++)
                yield return (leaf.Start[i], leaf.Last[i], leaf.Value[i]);
        }
    }

    /// <summary>The leaf whose key range covers <paramref name="key"/> (by start), without recording the path.</summary>
    private Leaf LeafFor(ulong key)
    {
        var node = root;
        for (int level = height; level > 0; level--)
        {
            var branch = (Branch)node;
            node = branch.Child[Math.Max(0, LastAtOrBelow(branch.Start, branch.Count, key))];
        }

        return (Leaf)node;
    }

    /// <summary>Like <see cref="LeafFor"/>, remembering each branch and child index on the way down.</summary>
    private Leaf DescendRecording(ulong key)
    {
        var node = root;
        for (int depth = 0; depth < height; depth++)
        {
            var branch = (Branch)node;
            int i = Math.Max(0, LastAtOrBelow(branch.Start, branch.Count, key));
            pathBranch[depth] = branch;
            pathIndex[depth] = i;
            node = branch.Child[i];
        }

        return (Leaf)node;
    }

    /// <summary>The index of the last of the first <paramref name="count"/> keys that is at most <paramref name="key"/>; -1 if none.</summary>
    private static int LastAtOrBelow(ReadOnlySpan<ulong> keys, int count, ulong key)
    {
        int low = 0, high = count;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (keys[mid] <= key)
                low = mid + 1;
            else
                high = mid;
        }

        return low - 1;
    }

    /// <summary>The index of the first of the first <paramref name="count"/> keys that is at least <paramref name="key"/>; count if none.</summary>
    private static int FirstAtOrAbove(ReadOnlySpan<ulong> keys, int count, ulong key)
    {
        int low = 0, high = count;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (keys[mid] < key)
                low = mid + 1;
            else
                high = mid;
        }

        return low;
    }

    private Leaf NewLeaf() => spareLeaves.Count > 0 ? spareLeaves.Pop() : new Leaf();

    private Branch NewBranch() => spareBranches.Count > 0 ? spareBranches.Pop() : new Branch();

    private void Recycle(Node node)
    {
        node.Count = 0;
        if (node is Leaf leaf)
        {
            leaf.Next = null;
            spareLeaves.Push(leaf);
        }
        else
        {
            ((Span<Node>)((Branch)node).Child).Clear();
            spareBranches.Push((Branch)node);
        }
    }
}
