using Harness.Implementation;
using Harness.Model;
using Harness.Tests.Contracts;

namespace Harness.Tests.Implementation;

/// <summary>The optimized allocator passes every model rule, checking its invariants after each test's calls.</summary>
public sealed class IovaAllocatorTests : AllocatorContract
{
    protected override IIovaAllocator Create(IovaDomain domain, AllocPolicy policy) =>
        new InvariantCheckedAllocator<IovaAllocator>(new IovaAllocator(domain, policy));
}
