using System.Numerics;

namespace Harness.Model;

/// <summary>
/// iommufd's <c>iopt_alloc_iova</c> (drivers/iommu/iommufd/io_pagetable.c, v6.2 on; docs/SPEC.md §5
/// "lowest-fit, Linux profiles") in a domain's pfns, the domain's granule standing for the kernel's
/// PAGE_SIZE; stated once for the model, the implementation and the planted bug.
/// </summary>
public static class IoptAllocIova
{
    /// <summary><c>length &gt;= ULONG_MAX / 2</c> is EOVERFLOW ("Protect roundup_pow_of_two() from overflow"); a length is a multiple of the granule.</summary>
    public static bool Overflows(IovaDomain domain, ulong size) => size >= 1UL << (63 - domain.IovaShift);

    /// <summary>
    /// log2 of the alignment in pfns. A user address of 0 (a size-aligned request) asks for
    /// <c>roundup_pow_of_two(length)</c>, any other address no more than its own lowest set bit (one
    /// page here); either is capped at <c>HPAGE_SIZE</c>, a PMD with THP: PAGE_SIZE / 8 pages on
    /// x86-64 and arm64.
    /// </summary>
    public static int AlignShift(IovaDomain domain, ulong size, bool sizeAligned) =>
        !sizeAligned || size <= 1 ? 0 : Math.Min(64 - BitOperations.LeadingZeroCount(size - 1), Math.Max(domain.IovaShift - 3, 0));

    /// <summary>Without an allowed list the span is <c>[PAGE_SIZE, ULONG_MAX - PAGE_SIZE]</c>: never pfn 0 nor the last page.</summary>
    public static ulong HighestPfn(IovaDomain domain) => (ulong.MaxValue >> domain.IovaShift) - 1;

    /// <summary>The top of the window a request with this limit searches.</summary>
    public static ulong Top(IovaDomain domain, ulong limitPfn) => Math.Min(limitPfn, HighestPfn(domain));

    /// <summary><c>iopt_reserve_iova</c> refuses a range over an area (a live allocation) with EADDRINUSE.</summary>
    public const Errno ReserveOverArea = Errno.EADDRINUSE;
}
