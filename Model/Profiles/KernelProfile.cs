namespace Harness.Model;

/// <summary>
/// Whose behaviour the model executes (docs/SPEC.md, "Profiles"): a Linux version range, or the
/// project's own choices. Each field names the rules one surface follows under this profile.
/// </summary>
/// <param name="Name">How the command line and regression files name it.</param>
/// <param name="Kernels">The kernel versions whose code these rules were read from.</param>
/// <param name="Iova">The top-down IOVA allocator's rules (docs/SPEC.md §5).</param>
public sealed record KernelProfile(string Name, string Kernels, IovaRules Iova)
{
    public override string ToString() => Name;
}

/// <summary>Which top-down allocator the model runs (docs/SPEC.md §5).</summary>
public enum IovaRules
{
    /// <summary>The project's choice: the highest fit, reservations beside allocations, every pfn usable.</summary>
    Ideal,

    /// <summary>iova.c as it is: the cached-node walk, the retry, the 32-bit hint, the anchor, reserve_iova's merging.</summary>
    IovaC,
}
