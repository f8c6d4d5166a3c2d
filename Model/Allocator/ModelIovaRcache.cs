namespace Harness.Model;

/// <summary>
/// iova.c's rcache over <see cref="ModelLinuxIova"/> (docs/SPEC.md §5, "The rcache under Linux"):
/// per size class (order_base_2 of the size, 0 to IOVA_RANGE_CACHE_MAX_SIZE − 1) a loaded and a
/// previous magazine of IOVA_MAG_SIZE pfns on the one CPU, and a depot of full magazines. Cached
/// ranges stay nodes of the tree, so they are among <see cref="Allocations"/>.
/// </summary>
public sealed class ModelIovaRcache : IIovaFastPath
{
    /// <summary>IOVA_RANGE_CACHE_MAX_SIZE.</summary>
    private const int Classes = 6;

    /// <summary>IOVA_MAG_SIZE (127 in v6.1.192 and v6.12; mainline changed it from 128 in v6.7).</summary>
    public const int MagazineSize = 127;

    /// <summary>MAX_GLOBAL_MAGS: the v6.1 depot's bound.</summary>
    private const int MaxDepot = 32;

    private sealed class Rcache
    {
        public List<ulong> Loaded = [];
        public List<ulong> Prev = [];

        /// <summary>Oldest first; the kernel pops the newest either way.</summary>
        public List<List<ulong>> Depot = [];

        public Rcache Clone() => new() { Loaded = [.. Loaded], Prev = [.. Prev], Depot = Depot.Select(m => m.ToList()).ToList() };
    }

    private readonly ModelLinuxIova tree;
    private readonly Rcache[] rcaches;
    private readonly RcacheRules rules;

    public ModelIovaRcache(IovaDomain domain, RcacheRules rules)
        : this(new ModelLinuxIova(domain), Enumerable.Range(0, Classes).Select(_ => new Rcache()).ToArray(), rules)
    {
    }

    private ModelIovaRcache(ModelLinuxIova tree, Rcache[] rcaches, RcacheRules rules)
    {
        this.tree = tree;
        this.rcaches = rcaches;
        this.rules = rules;
    }

    public IovaDomain Domain => tree.Domain;

    public IEnumerable<IovaRange> Allocations => tree.Allocations;

    public ModelIovaRcache Clone() => new(tree.Clone(), rcaches.Select(r => r.Clone()).ToArray(), rules);

    public Errno Alloc(ulong size, ulong limitPfn, bool sizeAligned, out ulong pfn) => tree.Alloc(size, limitPfn, sizeAligned, out pfn);

    public Errno Reserve(ulong pfnLo, ulong pfnHi) => tree.Reserve(pfnLo, pfnHi);

    public Errno Free(ulong pfn) => tree.Free(pfn);

    public bool Find(ulong pfn, out IovaRange allocation) => tree.Find(pfn, out allocation);

    /// <summary>Sizes below the largest class are rounded up to a power of two; a miss in the cache goes to the tree, and a failure there flushes every cache and retries once.</summary>
    public Errno AllocFast(ulong size, ulong limitPfn, bool flushRcache, out ulong pfn)
    {
        if (size < IovaRcacheLimits.MaxCachedSize)
            size = RoundUpPowerOfTwo(size);
        pfn = Get(size, unchecked(limitPfn + 1));
        if (pfn != 0)
            return Errno.Ok;

        while (tree.Alloc(size, limitPfn, sizeAligned: true, out pfn) != Errno.Ok)
        {
            if (!flushRcache)
                return Errno.ENOMEM;
            flushRcache = false;
            Flush();
        }

        return pfn == 0 ? Errno.ENOMEM : Errno.Ok;
    }

    public void FreeFast(ulong pfn, ulong size)
    {
        if (!Insert(pfn, size))
            tree.Free(pfn);
    }

    /// <summary>iova_rcache_get: the class's magazines are searched against <c>limit_pfn + 1 − size</c>, computed in 64 bits (a size past the limit wraps and takes anything).</summary>
    private ulong Get(ulong size, ulong exclusiveLimit)
    {
        int log = OrderBase2(size);
        if (log >= Classes)
            return 0;
        var rcache = rcaches[log];
        if (rcache.Loaded.Count == 0)
        {
            if (rcache.Prev.Count != 0)
                (rcache.Loaded, rcache.Prev) = (rcache.Prev, rcache.Loaded);
            else if (rcache.Depot.Count != 0)
                rcache.Loaded = Pop(rcache.Depot);
            else
                return 0;
        }

        return MagazinePop(rcache.Loaded, unchecked(exclusiveLimit - size));
    }

    /// <summary>iova_magazine_pop: the newest pfn not above the limit, its slot filled by the newest of all.</summary>
    private static ulong MagazinePop(List<ulong> magazine, ulong limitPfn)
    {
        int i = magazine.Count - 1;
        while (magazine[i] > limitPfn)
        {
            if (i == 0)
                return 0;
            i--;
        }

        ulong pfn = magazine[i];
        magazine[i] = magazine[^1];
        magazine.RemoveAt(magazine.Count - 1);
        return pfn;
    }

    /// <summary>
    /// __iova_rcache_insert: into the loaded magazine, else the previous one swapped in, else a
    /// fresh one, the full loaded one going to the depot (v6.1: while it holds fewer than 32,
    /// else back into the tree).
    /// </summary>
    private bool Insert(ulong pfn, ulong size)
    {
        int log = OrderBase2(size);
        if (log >= Classes)
            return false;
        var rcache = rcaches[log];
        List<ulong>? toFree = null;
        if (rcache.Loaded.Count == MagazineSize)
        {
            if (rcache.Prev.Count != MagazineSize)
            {
                (rcache.Loaded, rcache.Prev) = (rcache.Prev, rcache.Loaded);
            }
            else
            {
                if (rules == RcacheRules.DepotList || rcache.Depot.Count < MaxDepot)
                    rcache.Depot.Add(rcache.Loaded);
                else
                    toFree = rcache.Loaded;
                rcache.Loaded = [];
            }
        }

        rcache.Loaded.Add(pfn);
        if (toFree is not null)
            FreePfns(toFree);
        return true;
    }

    /// <summary>
    /// free_cpu_cached_iovas then free_global_cached_iovas: each class's loaded and previous
    /// magazines, then each class's depot, oldest magazine first in v6.1's array and newest
    /// first from the later list.
    /// </summary>
    private void Flush()
    {
        foreach (var rcache in rcaches)
        {
            FreePfns(rcache.Loaded);
            FreePfns(rcache.Prev);
        }

        foreach (var rcache in rcaches)
        {
            while (rcache.Depot.Count != 0)
                FreePfns(rules == RcacheRules.DepotList ? Pop(rcache.Depot) : Shift(rcache.Depot));
        }
    }

    /// <summary>iova_magazine_free_pfns: each pfn's node out of the tree, in magazine order.</summary>
    private void FreePfns(List<ulong> magazine)
    {
        foreach (ulong pfn in magazine)
            tree.Free(pfn);
        magazine.Clear();
    }

    private static List<ulong> Pop(List<List<ulong>> depot)
    {
        var newest = depot[^1];
        depot.RemoveAt(depot.Count - 1);
        return newest;
    }

    private static List<ulong> Shift(List<List<ulong>> depot)
    {
        var oldest = depot[0];
        depot.RemoveAt(0);
        return oldest;
    }

    private static int OrderBase2(ulong size) => size > 1 ? 64 - System.Numerics.BitOperations.LeadingZeroCount(size - 1) : 0;

    /// <summary>roundup_pow_of_two, as the kernel computes it for sizes up to 2^63 (0 is the caller's bug; here it stays 1).</summary>
    private static ulong RoundUpPowerOfTwo(ulong size) => size <= 1 ? 1 : 1UL << OrderBase2(size);
}
