namespace Harness.Model;

/// <summary>The profiles the harness knows (docs/SPEC.md, "Profiles").</summary>
public static class KernelProfiles
{
    /// <summary>v6.1: type1's unpadded chain (before v6.6), no iommufd (v6.2).</summary>
    public static KernelProfile Linux61 { get; } =
        new("linux-6.1", "v6.1.y (Debian linux-source-6.1)", IovaRules.IovaC, IovaListRules.AperResize, [InfoLayout.Type1PreV66], ResvMergeRules.TouchingTopEndWraps, PageTableRules.ArmLpaeSplit, RcacheRules.DepotArray, FindDmaRules.SizeWraps, LowestFitRules.None, VfioCompatRules.None);

    public static KernelProfile Linux612 { get; } =
        new("linux-6.12", "v6.12.y (Debian linux-source-6.12)", IovaRules.IovaC, IovaListRules.AperResize, [InfoLayout.Type1V66, InfoLayout.IommufdCompat], ResvMergeRules.TouchingTopEndWraps, PageTableRules.ArmLpaeSplit, RcacheRules.DepotList, FindDmaRules.SizeWraps, LowestFitRules.IoptAllocIova, VfioCompatRules.Ioas);

    public static KernelProfile Linux618 { get; } =
        new("linux-6.18", "v6.18 (mainline)", IovaRules.IovaC, IovaListRules.AperResize, [InfoLayout.Type1V66, InfoLayout.IommufdCompat], ResvMergeRules.TouchingTopEndWraps, PageTableRules.ArmLpaeNoSplit, RcacheRules.DepotList, FindDmaRules.Inclusive, LowestFitRules.IoptAllocIova, VfioCompatRules.Ioas);

    /// <summary>The project's own choices, where a careful implementation should do better than some kernel; every layout.</summary>
    public static KernelProfile Ideal { get; } =
        new("ideal", "none: the project's choices", IovaRules.Ideal, IovaListRules.Intersect, [InfoLayout.Type1V66, InfoLayout.Type1PreV66, InfoLayout.IommufdCompat], ResvMergeRules.Touching, PageTableRules.Ideal, RcacheRules.None, FindDmaRules.Inclusive, LowestFitRules.Ideal, VfioCompatRules.LayoutOnly);

    public static IReadOnlyList<KernelProfile> All { get; } = [Linux61, Linux612, Linux618, Ideal];

    /// <summary>What <c>harness check</c> holds implementations to unless told otherwise: mainline Linux.</summary>
    public static KernelProfile Default => Linux618;

    /// <summary>Every profile's name, for messages: "linux-6.1, linux-6.12, …".</summary>
    public static string Names { get; } = string.Join(", ", All.Select(p => p.Name));

    public static KernelProfile? Find(string name) => All.FirstOrDefault(p => p.Name == name);

    /// <exception cref="ArgumentException">No profile has that name.</exception>
    public static KernelProfile Named(string name) =>
        Find(name) ?? throw new ArgumentException($"no profile '{name}' (known: {Names})", nameof(name));
}
