using Harness.Model;

namespace Harness.Tests.Contracts;

/// <summary>An optimized allocator that checks its own invariants after every call that changes it.</summary>
public sealed class InvariantCheckedAllocator<TAllocator>(TAllocator inner) : IIovaAllocator
    where TAllocator : IIovaAllocator, IInvariantChecked
{
    public IovaDomain Domain => inner.Domain;

    public Errno Alloc(ulong size, ulong limitPfn, bool sizeAligned, out ulong pfn) => Checked(inner.Alloc(size, limitPfn, sizeAligned, out pfn));

    public Errno Reserve(ulong pfnLo, ulong pfnHi) => Checked(inner.Reserve(pfnLo, pfnHi));

    public Errno Free(ulong pfn) => Checked(inner.Free(pfn));

    public bool Find(ulong pfn, out IovaRange allocation) => inner.Find(pfn, out allocation);

    public IEnumerable<IovaRange> Allocations => inner.Allocations;

    private Errno Checked(Errno result)
    {
        inner.CheckInvariants();
        return result;
    }
}
