using Harness.Model;

namespace Harness.Mutants;

/// <summary>
/// iommufd's <c>iopt_alloc_iova</c> before b42497e3c0e7 ("iommufd: Prevent ALIGN() overflow",
/// 2025, CVE-2025-38688): a hole's start is rounded up with <c>ALIGN()</c>, in bytes, without an
/// overflow check, so a hole that starts in the last alignment's worth of the address space
/// aligns to 0 and the allocation lands on IOVA 0, over whatever is there. With 4 KiB pages:
/// Reserve(1, 2^52 − 7), then Alloc(5, no limit, size-aligned): the hole's five pages round up
/// to 2^64, and the kernel answered pfn 0. Otherwise <see cref="IoptAllocIova"/>'s rules.
/// </summary>
public sealed class IoptAlignWraps(IovaDomain domain) : IIovaAllocator
{
    private readonly List<IovaRange> allocations = [];
    private readonly List<IovaRange> reserved = [];

    public IovaDomain Domain { get; } = domain;

    public IEnumerable<IovaRange> Allocations => allocations.OrderBy(a => a.Start).ToList();

    public Errno Alloc(ulong size, ulong limitPfn, bool sizeAligned, out ulong pfn)
    {
        pfn = 0;
        if (size == 0)
            return Errno.EINVAL;
        if (IoptAllocIova.Overflows(Domain, size))
            return Errno.EOVERFLOW;
        int shift = Domain.IovaShift;
        ulong length = size << shift;
        ulong align = Domain.Granule << IoptAllocIova.AlignShift(Domain, size, sizeAligned);
        ulong lowest = Math.Max(Domain.StartPfn, 1);
        ulong top = IoptAllocIova.Top(Domain, limitPfn);
        if (top < lowest)
            return Errno.ENOSPC;
        ulong cursor = lowest;
        foreach (var used in allocations.Concat(reserved).Where(r => r.Last >= lowest && r.Start <= top).OrderBy(r => r.Start).Append(new IovaRange(top + 1, top + 1)))
        {
            if (used.Start > cursor && TryHole(cursor << shift, ((used.Start - 1) << shift) | (Domain.Granule - 1), length, align, out ulong iova))
            {
                pfn = iova >> shift;
                allocations.Add(IovaRange.FromSize(pfn, size));
                return Errno.Ok;
            }

            cursor = used.Last >= top ? top + 1 : Math.Max(cursor, used.Last + 1);
        }

        return Errno.ENOSPC;
    }

    /// <summary>The pre-fix <c>__alloc_iova_check_hole</c>: <c>ALIGN(start, align)</c> may wrap to 0.</summary>
    private static bool TryHole(ulong start, ulong last, ulong length, ulong align, out ulong iova)
    {
        iova = 0;
        if (last - start < length - 1)
            return false;
        iova = unchecked(start + align - 1) & ~(align - 1);
        return iova <= last && last - iova >= length - 1;
    }

    public Errno Reserve(ulong pfnLo, ulong pfnHi)
    {
        if (pfnLo > pfnHi)
            return Errno.EINVAL;
        if (allocations.Any(a => a.Overlaps(new IovaRange(pfnLo, pfnHi))))
            return IoptAllocIova.ReserveOverArea;
        reserved.Add(new IovaRange(pfnLo, pfnHi));
        return Errno.Ok;
    }

    public Errno Free(ulong pfn) => allocations.RemoveAll(a => a.Contains(pfn)) > 0 ? Errno.Ok : Errno.ENOENT;

    public bool Find(ulong pfn, out IovaRange allocation)
    {
        allocation = allocations.FirstOrDefault(a => a.Contains(pfn));
        return allocations.Any(a => a.Contains(pfn));
    }
}
