using Harness.Implementation;
using Harness.Model;
using Harness.Tests.Contracts;

namespace Harness.Tests.Implementation;

/// <summary>The optimized iova.c allocator passes every Linux rule, checking its invariants after each call.</summary>
public sealed class LinuxIovaAllocatorTests : LinuxIovaContract
{
    protected override IIovaAllocator Create(IovaDomain domain) =>
        new InvariantCheckedAllocator<LinuxIovaAllocator>(new LinuxIovaAllocator(domain));
}
