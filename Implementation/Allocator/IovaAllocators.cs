using Harness.Model;

namespace Harness.Implementation;

/// <summary>The optimized allocator giving a profile's answers for a policy (docs/SPEC.md §5).</summary>
public static class IovaAllocators
{
    public static IIovaAllocator Create(IovaDomain domain, AllocPolicy policy, KernelProfile profile) =>
        profile.RunsIovaC(policy) ? new LinuxIovaAllocator(domain) : new IovaAllocator(domain, policy, lowestFit: profile.LowestFit);
}
