using Harness.Model;
using Harness.Tests.Contracts;

namespace Harness.Tests.Model;

public sealed class ModelAllocatorTests : AllocatorContract
{
    protected override IIovaAllocator Create(IovaDomain domain, AllocPolicy policy) => new ModelIovaAllocator(domain, policy);
}
