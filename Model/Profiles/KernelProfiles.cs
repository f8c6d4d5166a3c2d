namespace Harness.Model;

/// <summary>The profiles the harness knows (docs/SPEC.md, "Profiles").</summary>
public static class KernelProfiles
{
    public static KernelProfile Linux61 { get; } = new("linux-6.1", "v6.1.y (Debian linux-source-6.1)", IovaRules.IovaC);

    public static KernelProfile Linux612 { get; } = new("linux-6.12", "v6.12.y (Debian linux-source-6.12)", IovaRules.IovaC);

    public static KernelProfile Linux618 { get; } = new("linux-6.18", "v6.18 (mainline)", IovaRules.IovaC);

    /// <summary>The project's own choices, where a careful implementation should do better than some kernel.</summary>
    public static KernelProfile Ideal { get; } = new("ideal", "none: the project's choices", IovaRules.Ideal);

    public static IReadOnlyList<KernelProfile> All { get; } = [Linux61, Linux612, Linux618, Ideal];

    /// <summary>What <c>harness check</c> holds implementations to unless told otherwise: mainline Linux.</summary>
    public static KernelProfile Default => Linux618;

    public static KernelProfile? Find(string name) => All.FirstOrDefault(p => p.Name == name);

    /// <exception cref="ArgumentException">No profile has that name.</exception>
    public static KernelProfile Named(string name) =>
        Find(name) ?? throw new ArgumentException($"no profile '{name}' (known: {string.Join(", ", All.Select(p => p.Name))})", nameof(name));
}
