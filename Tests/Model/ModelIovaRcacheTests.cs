using Harness.Model;
using Xunit;

namespace Harness.Tests.Model;

/// <summary>iova.c's rcache as v6.1 and v6.12 run it (docs/SPEC.md §5, "The rcache under Linux").</summary>
public sealed class ModelIovaRcacheTests
{
    private static ModelIovaRcache Rcache(RcacheRules rules) => new(new IovaDomain(0x1000, 1), rules);

    private static List<ulong> AllocMany(ModelIovaRcache rcache, int count, ulong size, ulong limit)
    {
        var pfns = new List<ulong>();
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(Errno.Ok, rcache.AllocFast(size, limit, flushRcache: true, out ulong pfn));
            pfns.Add(pfn);
        }

        return pfns;
    }

    [Fact]
    public void A_freed_range_is_parked_in_the_tree_and_handed_out_again_first()
    {
        var rcache = Rcache(RcacheRules.DepotList);
        Assert.Equal(Errno.Ok, rcache.AllocFast(3, 0xfffff, true, out ulong pfn));
        Assert.Equal(0xffffcUL, pfn);
        rcache.FreeFast(pfn, 3);
        Assert.Equal([new IovaRange(0xffffc, 0xfffff)], rcache.Allocations);
        Assert.Equal(Errno.Ok, rcache.AllocFast(4, 0xfffff, true, out ulong again));
        Assert.Equal(pfn, again);
    }

    [Fact]
    public void A_cached_range_above_the_limit_is_skipped_and_the_tree_asked()
    {
        var rcache = Rcache(RcacheRules.DepotList);
        rcache.AllocFast(1, 0xfffff, true, out ulong high);
        rcache.FreeFast(high, 1);
        Assert.Equal(Errno.Ok, rcache.AllocFast(1, 0xffff, true, out ulong low));
        Assert.Equal(0xffffUL, low);
        Assert.Equal(2, rcache.Allocations.Count());
    }

    [Fact]
    public void A_size_past_the_limit_wraps_the_cache_s_bound_and_takes_any_cached_range()
    {
        var rcache = Rcache(RcacheRules.DepotList);
        rcache.AllocFast(4, 0xfffff, true, out ulong pfn);
        rcache.FreeFast(pfn, 4);
        Assert.Equal(Errno.Ok, rcache.AllocFast(4, 2, true, out ulong wrapped));
        Assert.Equal(pfn, wrapped);
    }

    [Fact]
    public void A_failure_flushes_every_cache_back_into_the_tree_and_retries_once()
    {
        var rcache = Rcache(RcacheRules.DepotList);
        var pfns = AllocMany(rcache, 4, 1, 4);
        foreach (ulong pfn in pfns)
            rcache.FreeFast(pfn, 1);
        Assert.Equal(Errno.ENOMEM, rcache.AllocFast(2, 4, flushRcache: false, out _));
        Assert.Equal(4, rcache.Allocations.Count());
        Assert.Equal(Errno.Ok, rcache.AllocFast(2, 4, flushRcache: true, out ulong pfn2));
        Assert.Equal(2UL, pfn2);
        Assert.Equal([new IovaRange(2, 3)], rcache.Allocations);
    }

    [Fact]
    public void V6_1_s_depot_holds_32_magazines_and_frees_the_next_full_one_into_the_tree()
    {
        const int filled = (2 * ModelIovaRcache.MagazineSize) + (32 * ModelIovaRcache.MagazineSize) + 1;
        foreach (var (rules, parked) in new[] { (RcacheRules.DepotArray, filled - ModelIovaRcache.MagazineSize), (RcacheRules.DepotList, filled) })
        {
            var rcache = Rcache(rules);
            var pfns = AllocMany(rcache, filled, 1, 0xfffff);
            for (int i = pfns.Count - 1; i >= 0; i--)
                rcache.FreeFast(pfns[i], 1);
            Assert.Equal(parked, rcache.Allocations.Count());
        }
    }

    [Fact]
    public void Sizes_of_32_pfns_or_more_are_not_rounded_nor_cached()
    {
        var rcache = Rcache(RcacheRules.DepotList);
        Assert.Equal(Errno.Ok, rcache.AllocFast(33, 0xfffff, true, out ulong pfn));
        Assert.Equal([new IovaRange(pfn, pfn + 32)], rcache.Allocations);
        rcache.FreeFast(pfn, 33);
        Assert.Empty(rcache.Allocations);
    }
}
