namespace Harness.Model;

/// <summary>Which allocator rules a profile runs for a policy (docs/SPEC.md §5).</summary>
public static class KernelProfileAllocators
{
    /// <summary>Whether this policy follows iova.c under this profile: only top-down, and only where the profile says so.</summary>
    public static bool RunsIovaC(this KernelProfile profile, AllocPolicy policy) =>
        policy == AllocPolicy.TopDown && profile.Iova == IovaRules.IovaC;
}
