namespace Harness.Model;

/// <summary>What each allocation policy answers at its edges (docs/SPEC.md §5), stated once for the model, the implementation and the checks.</summary>
public static class AllocPolicyRules
{
    /// <summary>iova.c fails with ENOMEM; iommufd's iopt_alloc_iova with ENOSPC.</summary>
    public static Errno NoFit(this AllocPolicy policy) => policy == AllocPolicy.TopDown ? Errno.ENOMEM : Errno.ENOSPC;

    /// <summary>The lowest pfn the policy hands out: lowest-fit never returns pfn 0.</summary>
    public static ulong LowestPfn(this AllocPolicy policy, IovaDomain domain) =>
        policy == AllocPolicy.LowestFit ? Math.Max(domain.StartPfn, 1) : domain.StartPfn;
}
