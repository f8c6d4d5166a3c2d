namespace Harness.Model;

/// <summary>
/// type1's <c>dma_list</c> as the kernel keeps it (docs/SPEC.md §2 "Top of the address space"): a
/// red-black tree of <c>{iova, size}</c> shaped exactly as lib/rbtree.c shapes it
/// (<c>rb_insert_color</c>, <c>rb_erase</c>), with v5.4–v6.17's searches read literally, their
/// <c>iova + size</c> in wrapping 64-bit arithmetic. A mapping ending at 2^64 − 1 has
/// <c>iova + size == 0</c>, so what a search finds depends on where it sits in the tree.
/// <c>vfio_link_dma</c> links a mapping while its size is still 0, so the tree is ordered by iova.
/// Stated once, for the model and the implementation.
/// </summary>
public sealed class Type1DmaTree
{
    /// <summary>One <c>struct vfio_dma</c>'s place in the tree.</summary>
    public sealed class Node(ulong iova, ulong size)
    {
        public ulong Iova { get; } = iova;

        public ulong Size { get; } = size;

        internal Node? Left;
        internal Node? Right;
        internal Node? Parent;
        internal bool Red;
    }

    private Node? root;

    public int Count { get; private set; }

    /// <summary>An independent copy, same shape and colours.</summary>
    public Type1DmaTree Clone() => new() { root = Copy(root, null), Count = Count };

    private static Node? Copy(Node? node, Node? parent)
    {
        if (node is null)
            return null;
        var copy = new Node(node.Iova, node.Size) { Parent = parent, Red = node.Red };
        copy.Left = Copy(node.Left, copy);
        copy.Right = Copy(node.Right, copy);
        return copy;
    }

    /// <summary><c>vfio_find_dma</c>: left while <c>start + size &lt;= iova</c>, right while <c>start &gt;= iova + size</c>, else found.</summary>
    public Node? FindDma(ulong start, ulong size)
    {
        for (var node = root; node is not null;)
        {
            if (unchecked(start + size) <= node.Iova)
                node = node.Left;
            else if (start >= unchecked(node.Iova + node.Size))
                node = node.Right;
            else
                return node;
        }

        return null;
    }

    /// <summary><c>vfio_find_dma_first_node</c>: the first mapping ending above start, dropped when it starts at or past <c>start + size</c>.</summary>
    public Node? FindFirstNode(ulong start, ulong size)
    {
        Node? found = null;
        for (var node = root; node is not null;)
        {
            if (start < unchecked(node.Iova + node.Size))
            {
                found = node;
                if (start >= node.Iova)
                    break;
                node = node.Left;
            }
            else
            {
                node = node.Right;
            }
        }

        return found is not null && size != 0 && found.Iova >= unchecked(start + size) ? null : found;
    }

    /// <summary>
    /// vfio_dma_do_unmap's v2 checks and loop (an ALL unmap: from 0 with size 2^64 − 1, no checks):
    /// false when a check finds a mapping it would bisect (EINVAL); else <paramref name="visited"/>
    /// gets the mappings the loop takes, in tree order.
    /// </summary>
    public bool TryWalkUnmap(ulong iova, ulong size, bool all, List<Node> visited)
    {
        if (all)
        {
            size = ulong.MaxValue;
        }
        else
        {
            if (FindDma(iova, 1) is { } first && first.Iova != iova)
                return false;
            if (FindDma(unchecked(iova + size - 1), 0) is { } last && unchecked(last.Iova + last.Size) != unchecked(iova + size))
                return false;
        }

        for (var node = FindFirstNode(iova, size); node is not null && node.Iova < unchecked(iova + size); node = Next(node))
            visited.Add(node);
        return true;
    }

    /// <summary>The node of the mapping at <paramref name="iova"/>, by the order the tree keeps (what the kernel holds a pointer to).</summary>
    public Node? NodeAt(ulong iova)
    {
        var node = root;
        while (node is not null && node.Iova != iova)
            node = iova < node.Iova ? node.Left : node.Right;
        return node;
    }

    /// <summary><c>rb_next</c>: the in-order successor.</summary>
    private static Node? Next(Node node)
    {
        if (node.Right is not null)
        {
            var next = node.Right;
            while (next.Left is not null)
                next = next.Left;
            return next;
        }

        while (node.Parent is { } parent && node == parent.Right)
            node = parent;
        return node.Parent;
    }

    /// <summary><c>vfio_link_dma</c> with the size still 0, then <c>rb_insert_color</c>.</summary>
    public Node Link(ulong iova, ulong size)
    {
        var added = new Node(iova, size) { Red = true };
        Node? parent = null;
        bool left = false;
        for (var node = root; node is not null; node = left ? node.Left : node.Right)
        {
            parent = node;
            left = iova <= node.Iova;
        }

        added.Parent = parent;
        if (parent is null)
            root = added;
        else if (left)
            parent.Left = added;
        else
            parent.Right = added;
        InsertColor(added);
        Count++;
        return added;
    }

    private void InsertColor(Node node)
    {
        while (true)
        {
            var parent = node.Parent;
            if (parent is null)
            {
                node.Red = false;
                return;
            }

            if (!parent.Red)
                return;
            var grand = parent.Parent!;
            bool parentIsLeft = parent == grand.Left;
            var uncle = parentIsLeft ? grand.Right : grand.Left;
            if (uncle is { Red: true })
            {
                uncle.Red = parent.Red = false;
                grand.Red = true;
                node = grand;
                continue;
            }

            if (node == (parentIsLeft ? parent.Right : parent.Left))
            {
                Rotate(parent, toLeft: parentIsLeft);
                parent = node;
            }

            Rotate(grand, toLeft: !parentIsLeft);
            parent.Red = false;
            grand.Red = true;
            return;
        }
    }

    /// <summary><c>rb_erase</c>: a node with two children is replaced by its successor, which takes its colour.</summary>
    public void Erase(Node node)
    {
        Node? child;
        Node? parent;
        bool removedBlack;
        if (node.Left is null || node.Right is null)
        {
            child = node.Left ?? node.Right;
            parent = node.Parent;
            Replace(node, child);
            if (child is not null)
                child.Red = false;
            removedBlack = child is null && !node.Red;
        }
        else
        {
            var successor = node.Right;
            while (successor.Left is not null)
                successor = successor.Left;
            child = successor.Right;
            removedBlack = child is null && !successor.Red;
            if (successor == node.Right)
            {
                parent = successor;
            }
            else
            {
                parent = successor.Parent!;
                parent.Left = child;
                if (child is not null)
                    child.Parent = parent;
                successor.Right = node.Right;
                node.Right.Parent = successor;
            }

            successor.Left = node.Left;
            node.Left.Parent = successor;
            Replace(node, successor);
            successor.Red = node.Red;
            if (child is not null)
                child.Red = false;
        }

        Count--;
        if (removedBlack && parent is not null)
            EraseColor(parent);
    }

    /// <summary>One black too few on <paramref name="parent"/>'s side that lost a node (its child there is null or was just made the deficient one).</summary>
    private void EraseColor(Node parent)
    {
        Node? node = null;
        while (true)
        {
            bool nodeIsLeft = node == parent.Left;
            var sibling = (nodeIsLeft ? parent.Right : parent.Left)!;
            if (sibling.Red)
            {
                Rotate(parent, toLeft: nodeIsLeft);
                sibling.Red = false;
                parent.Red = true;
                sibling = (nodeIsLeft ? parent.Right : parent.Left)!;
            }

            var far = nodeIsLeft ? sibling.Right : sibling.Left;
            var near = nodeIsLeft ? sibling.Left : sibling.Right;
            if (far is not { Red: true })
            {
                if (near is not { Red: true })
                {
                    sibling.Red = true;
                    if (parent.Red)
                    {
                        parent.Red = false;
                        return;
                    }

                    node = parent;
                    if (node.Parent is not { } up)
                        return;
                    parent = up;
                    continue;
                }

                Rotate(sibling, toLeft: !nodeIsLeft);
                near.Red = false;
                sibling.Red = true;
                far = sibling;
                sibling = near;
            }

            Rotate(parent, toLeft: nodeIsLeft);
            sibling.Red = parent.Red;
            parent.Red = false;
            far.Red = false;
            return;
        }
    }

    /// <summary>Rotates <paramref name="top"/> down to the left (its right child up) or to the right.</summary>
    private void Rotate(Node top, bool toLeft)
    {
        var up = (toLeft ? top.Right : top.Left)!;
        var moved = toLeft ? up.Left : up.Right;
        if (toLeft)
        {
            top.Right = moved;
            up.Left = top;
        }
        else
        {
            top.Left = moved;
            up.Right = top;
        }

        if (moved is not null)
            moved.Parent = top;
        Replace(top, up);
        top.Parent = up;
    }

    /// <summary>Puts <paramref name="replacement"/> where <paramref name="old"/> hangs from its parent (or the root).</summary>
    private void Replace(Node old, Node? replacement)
    {
        var parent = old.Parent;
        if (parent is null)
            root = replacement;
        else if (parent.Left == old)
            parent.Left = replacement;
        else
            parent.Right = replacement;
        if (replacement is not null)
            replacement.Parent = parent;
    }
}
