using Harness.Implementation;
using Harness.Model;

namespace Harness.Mutants;

/// <summary>
/// iova.c before dcdb3ba7e2a8 ("iommu/iova: Fix alloc iova overflows issue", 2023): <c>retry_pfn =
/// curr_iova->pfn_hi + 1</c> and <c>low_pfn = retry_pfn</c>. With the anchor as the cached node
/// the sum wraps to 0, so when the walk fails the retry searches from pfn 0 and hands out pfns
/// below start_pfn (start pfn 1, Reserve(1, 0xff), Alloc(1, 0xff) gives pfn 0).
/// </summary>
public sealed class RetryPfnOverflow(IovaDomain domain) : LinuxIovaAllocator(domain)
{
    protected override bool Retries(ulong cachedHi, ulong limit, out ulong floor)
    {
        floor = unchecked(cachedHi + 1);
        return floor < limit;
    }
}
