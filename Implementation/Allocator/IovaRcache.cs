using System.Numerics;
using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// The rcache of Linux's iova.c on one CPU: per power-of-two size class up to 32 pfns, a loaded
/// and a previous magazine and a depot of up to 32 full ones. A freed range parks here (still
/// occupied in the tree) and may be handed out again instead of the policy's choice.
/// </summary>
internal sealed class IovaRcache
{
    public const ulong MaxSize = IovaRcacheLimits.MaxCachedSize;
    private const int MaxDepot = 32;

    private readonly SizeClass[] classes = new SizeClass[BitOperations.Log2(MaxSize) + 1];
    private readonly Stack<IovaMagazine> spare = new();

    public IovaRcache()
    {
        for (int i = 0; i < classes.Length; i++)
            classes[i] = new SizeClass();
    }

    /// <summary>Parked ranges, across every class.</summary>
    public int Count { get; private set; }

    private sealed class SizeClass
    {
        public IovaMagazine Loaded = new();
        public IovaMagazine Prev = new();
        public readonly Stack<IovaMagazine> Depot = new();
    }

    /// <summary>__iova_rcache_get: a parked range of <paramref name="size"/> (a power of two) inside <c>[lowest, limit]</c>.</summary>
    public bool TryGet(ulong size, ulong lowest, ulong limit, bool sizeAligned, out ulong pfn)
    {
        pfn = 0;
        var rcache = classes[BitOperations.Log2(size)];
        if (rcache.Loaded.IsEmpty)
        {
            if (!rcache.Prev.IsEmpty)
            {
                StructuralEvents.Note(StructuralEvent.RcacheMagazineSwap);
                (rcache.Loaded, rcache.Prev) = (rcache.Prev, rcache.Loaded);
            }
            else if (rcache.Depot.Count > 0)
            {
                StructuralEvents.Note(StructuralEvent.RcacheDepotPop);
                spare.Push(rcache.Loaded);
                rcache.Loaded = rcache.Depot.Pop();
            }
            else
            {
                return false;
            }
        }

        if (!rcache.Loaded.TryPop(lowest, limit, size, sizeAligned ? size - 1 : 0, out pfn))
            return false;
        Count--;
        return true;
    }

    /// <summary>__iova_rcache_insert: parks a range; a magazine pushed out of a full depot is released for real.</summary>
    public void Insert(IovaAllocator allocator, ulong pfn, ulong size)
    {
        var rcache = classes[BitOperations.Log2(size)];
        IovaMagazine? overflow = null;
        if (rcache.Loaded.IsFull)
        {
            if (!rcache.Prev.IsFull)
            {
                StructuralEvents.Note(StructuralEvent.RcacheMagazineSwap);
                (rcache.Loaded, rcache.Prev) = (rcache.Prev, rcache.Loaded);
            }
            else
            {
                StructuralEvents.Note(rcache.Depot.Count < MaxDepot ? StructuralEvent.RcacheDepotPush : StructuralEvent.RcacheDepotOverflow);
                if (rcache.Depot.Count < MaxDepot)
                    rcache.Depot.Push(rcache.Loaded);
                else
                    overflow = rcache.Loaded;
                rcache.Loaded = spare.Count > 0 ? spare.Pop() : new IovaMagazine();
            }
        }

        rcache.Loaded.Push(pfn);
        Count++;
        if (overflow is not null)
        {
            Release(allocator, overflow, size);
            spare.Push(overflow);
        }
    }

    /// <summary>free_cpu_cached_iovas + free_global_cached_iovas: releases every parked range; false if there was none.</summary>
    public bool Flush(IovaAllocator allocator)
    {
        if (Count == 0)
            return false;
        StructuralEvents.Note(StructuralEvent.RcacheFlush);
        for (int order = 0; order < classes.Length; order++)
        {
            var rcache = classes[order];
            Release(allocator, rcache.Loaded, 1UL << order);
            Release(allocator, rcache.Prev, 1UL << order);
            while (rcache.Depot.TryPop(out var magazine))
            {
                Release(allocator, magazine, 1UL << order);
                spare.Push(magazine);
            }
        }

        return true;
    }

    private void Release(IovaAllocator allocator, IovaMagazine magazine, ulong size)
    {
        for (int i = 0; i < magazine.Size; i++)
            allocator.Release(magazine[i], magazine[i] + (size - 1));
        Count -= magazine.Size;
        magazine.Clear();
    }

    /// <summary>Every parked pfn is a cached range of its class's size in the tree, once.</summary>
    public void CheckInvariants(RangeTree<IovaSegment> tree)
    {
        var seen = new HashSet<ulong>();
        for (int order = 0; order < classes.Length; order++)
        {
            var rcache = classes[order];
            foreach (var magazine in (IovaMagazine[])[rcache.Loaded, rcache.Prev, .. rcache.Depot])
            {
                for (int i = 0; i < magazine.Size; i++)
                {
                    ulong pfn = magazine[i];
                    if (!seen.Add(pfn))
                        throw new InvariantViolation($"pfn 0x{pfn:x} is parked twice");
                    if (!tree.FindContaining(pfn, out ulong start, out ulong last, out var segment)
                        || segment != IovaSegment.Cached || start != pfn || last - start + 1 != 1UL << order)
                        throw new InvariantViolation($"parked pfn 0x{pfn:x} (order {order}) is not a cached range of that size in the tree");
                }
            }
        }

        if (seen.Count != Count)
            throw new InvariantViolation($"rcache counts {Count} parked ranges but holds {seen.Count}");
    }
}
