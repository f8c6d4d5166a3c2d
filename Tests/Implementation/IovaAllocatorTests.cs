using Harness.Implementation;
using Harness.Model;
using Harness.Tests.Contracts;

namespace Harness.Tests.Implementation;

/// <summary>The optimized allocator passes every model rule, checking its invariants after each test's calls.</summary>
public sealed class IovaAllocatorTests : AllocatorContract
{
    protected override IIovaAllocator Create(IovaDomain domain, AllocPolicy policy) => new CheckedAllocator(new IovaAllocator(domain, policy));

    /// <summary>Runs <see cref="IovaAllocator.CheckInvariants"/> after every call.</summary>
    private sealed class CheckedAllocator(IovaAllocator inner) : IIovaAllocator
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
}
