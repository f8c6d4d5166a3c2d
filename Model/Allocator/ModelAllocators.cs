namespace Harness.Model;

/// <summary>The model allocator a profile runs for a policy (docs/SPEC.md §5).</summary>
public static class ModelAllocators
{
    public static IIovaAllocator Create(IovaDomain domain, AllocPolicy policy, KernelProfile profile) =>
        profile.RunsIovaC(policy) ? new ModelLinuxIova(domain) : new ModelIovaAllocator(domain, policy, profile.LowestFit);

    /// <summary>An independent copy of a model allocator (for state-machine snapshots).</summary>
    public static IIovaAllocator Clone(IIovaAllocator model) => model switch
    {
        ModelLinuxIova linux => linux.Clone(),
        ModelIovaAllocator ideal => ideal.Clone(),
        _ => throw new ArgumentException($"{model.GetType().Name} is not a model allocator", nameof(model)),
    };
}
