using System.Runtime.CompilerServices;

namespace Harness.Implementation;

/// <summary>
/// An AVL tree of disjoint inclusive ranges <c>[Start, Last]</c>, each carrying a value. Nodes
/// are structs in one pooled array (freed slots are reused), so steady-state insert and remove
/// allocate nothing. Every node also records, for its subtree, the first start, the last end and
/// the largest gap between consecutive ranges; <see cref="TryFindHighestFit"/> and
/// <see cref="TryFindLowestFit"/> prune every subtree whose free space is too small, so
/// fragmentation cannot make a search walk.
/// </summary>
public sealed partial class RangeTree<TValue>
    where TValue : struct
{
    private const int Nil = 0;

    private Node[] nodes = new Node[64];
    private int root = Nil;
    private int free = Nil;
    private int used = 1;

    private struct Node
    {
        public ulong Start;
        public ulong Last;
        public ulong SubStart;
        public ulong SubLast;
        public ulong SubGap;
        public int Left;
        public int Right;
        public int Height;
        public TValue Value;
    }

    public int Count { get; private set; }

    public void Clear()
    {
        Array.Clear(nodes);
        root = Nil;
        free = Nil;
        used = 1;
        Count = 0;
    }

    /// <summary>Adds <c>[start, last]</c>; the caller guarantees it overlaps no range already in the tree.</summary>
    public void Insert(ulong start, ulong last, TValue value)
    {
        root = Insert(root, start, last, value);
        Count++;
    }

    /// <summary>Removes the range starting exactly at <paramref name="start"/>.</summary>
    public bool Remove(ulong start)
    {
        root = Remove(root, start, out bool removed);
        if (removed)
            Count--;
        return removed;
    }

    /// <summary>The range containing <paramref name="address"/>.</summary>
    public bool FindContaining(ulong address, out ulong start, out ulong last, out TValue value)
    {
        for (int n = root; n != Nil;)
        {
            ref var node = ref nodes[n];
            if (address < node.Start)
            {
                n = node.Left;
            }
            else if (address > node.Last)
            {
                n = node.Right;
            }
            else
            {
                (start, last, value) = (node.Start, node.Last, node.Value);
                return true;
            }
        }

        (start, last, value) = (0, 0, default);
        return false;
    }

    /// <summary>The lowest range that overlaps <c>[lo, hi]</c>.</summary>
    public bool FindFirstOverlapping(ulong lo, ulong hi, out ulong start, out ulong last, out TValue value)
    {
        int best = Nil;
        for (int n = root; n != Nil;)
        {
            ref var node = ref nodes[n];
            if (node.Last < lo)
            {
                n = node.Right;
            }
            else
            {
                best = n;
                n = node.Left;
            }
        }

        if (best != Nil && nodes[best].Start <= hi)
        {
            ref var node = ref nodes[best];
            (start, last, value) = (node.Start, node.Last, node.Value);
            return true;
        }

        (start, last, value) = (0, 0, default);
        return false;
    }

    /// <summary>Replaces the value of the range starting exactly at <paramref name="start"/>.</summary>
    public bool TrySetValue(ulong start, TValue value)
    {
        for (int n = root; n != Nil;)
        {
            ref var node = ref nodes[n];
            if (start == node.Start)
            {
                node.Value = value;
                return true;
            }

            n = start < node.Start ? node.Left : node.Right;
        }

        return false;
    }

    /// <summary>Every range in ascending order (for snapshots and invariant checks; allocates the enumerator's stack).</summary>
    public IEnumerable<(ulong Start, ulong Last, TValue Value)> InOrder()
    {
        var stack = new Stack<int>();
        for (int n = root; n != Nil || stack.Count > 0;)
        {
            for (; n != Nil; n = nodes[n].Left)
                stack.Push(n);
            n = stack.Pop();
            yield return (nodes[n].Start, nodes[n].Last, nodes[n].Value);
            n = nodes[n].Right;
        }
    }

    private int NewNode(ulong start, ulong last, TValue value)
    {
        int n;
        if (free != Nil)
        {
            n = free;
            free = nodes[n].Left;
        }
        else
        {
            if (used == nodes.Length)
                Array.Resize(ref nodes, nodes.Length * 2);
            n = used++;
        }

        nodes[n] = new Node { Start = start, Last = last, SubStart = start, SubLast = last, Height = 1, Value = value };
        return n;
    }

    private void FreeNode(int n)
    {
        nodes[n] = new Node { Left = free };
        free = n;
    }

    private int Insert(int n, ulong start, ulong last, TValue value)
    {
        if (n == Nil)
            return NewNode(start, last, value);
        if (start < nodes[n].Start)
        {
            int left = Insert(nodes[n].Left, start, last, value);
            nodes[n].Left = left;
        }
        else
        {
            int right = Insert(nodes[n].Right, start, last, value);
            nodes[n].Right = right;
        }

        return Rebalance(n);
    }

    private int Remove(int n, ulong start, out bool removed)
    {
        removed = false;
        if (n == Nil)
            return Nil;
        ref var node = ref nodes[n];
        if (start < node.Start)
        {
            node.Left = Remove(node.Left, start, out removed);
        }
        else if (start > node.Start)
        {
            node.Right = Remove(node.Right, start, out removed);
        }
        else
        {
            removed = true;
            int left = node.Left, right = node.Right;
            FreeNode(n);
            if (left == Nil || right == Nil)
                return left == Nil ? right : left;
            right = RemoveMin(right, out int min);
            nodes[min].Left = left;
            nodes[min].Right = right;
            return Rebalance(min);
        }

        return removed ? Rebalance(n) : n;
    }

    /// <summary>Detaches the leftmost node of subtree <paramref name="n"/> (returned in <paramref name="min"/>).</summary>
    private int RemoveMin(int n, out int min)
    {
        if (nodes[n].Left == Nil)
        {
            min = n;
            return nodes[n].Right;
        }

        nodes[n].Left = RemoveMin(nodes[n].Left, out min);
        return Rebalance(n);
    }

    private int Rebalance(int n)
    {
        Update(n);
        int balance = nodes[nodes[n].Left].Height - nodes[nodes[n].Right].Height;
        if (balance > 1)
        {
            int left = nodes[n].Left;
            if (nodes[nodes[left].Left].Height < nodes[nodes[left].Right].Height)
                nodes[n].Left = RotateLeft(left);
            return RotateRight(n);
        }

        if (balance < -1)
        {
            int right = nodes[n].Right;
            if (nodes[nodes[right].Right].Height < nodes[nodes[right].Left].Height)
                nodes[n].Right = RotateRight(right);
            return RotateLeft(n);
        }

        return n;
    }

    private int RotateRight(int n)
    {
        int pivot = nodes[n].Left;
        nodes[n].Left = nodes[pivot].Right;
        nodes[pivot].Right = n;
        Update(n);
        Update(pivot);
        return pivot;
    }

    private int RotateLeft(int n)
    {
        int pivot = nodes[n].Right;
        nodes[n].Right = nodes[pivot].Left;
        nodes[pivot].Left = n;
        Update(n);
        Update(pivot);
        return pivot;
    }

    /// <summary>Recomputes height and the subtree span and largest gap from the children.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Update(int n)
    {
        ref var node = ref nodes[n];
        ref var left = ref nodes[node.Left];
        ref var right = ref nodes[node.Right];
        node.Height = 1 + Math.Max(left.Height, right.Height);
        ulong gap = Math.Max(left.SubGap, right.SubGap);
        if (node.Left != Nil)
        {
            node.SubStart = left.SubStart;
            gap = Math.Max(gap, node.Start - left.SubLast - 1);
        }
        else
        {
            node.SubStart = node.Start;
        }

        if (node.Right != Nil)
        {
            node.SubLast = right.SubLast;
            gap = Math.Max(gap, right.SubStart - node.Last - 1);
        }
        else
        {
            node.SubLast = node.Last;
        }

        node.SubGap = gap;
    }
}
