using System.Text.Json.Serialization;
using FsCheck;
using FsCheck.Fluent;
using Harness.Model;

namespace Harness.Properties;

/// <summary>
/// A set of reserved regions as a group's devices report them (docs/SPEC.md §1), and the profile
/// whose merge rules hold (ideal in files recorded before profiles).
/// </summary>
public sealed record RegionSetCase(ResvRegion[] Regions, string Profile = "ideal")
{
    [JsonIgnore]
    public KernelProfile Kernel => KernelProfiles.Named(Profile);

    public static Gen<RegionSetCase> Generator(KernelProfile profile) =>
        Gen.Choose(0, 8).SelectMany(n => GroupGen.Regions(n)).Select(r => new RegionSetCase([.. r], profile.Name));

    public static IEnumerable<RegionSetCase> Shrink(RegionSetCase c)
    {
        for (int i = 0; i < c.Regions.Length; i++)
            yield return c with { Regions = [.. c.Regions.Take(i), .. c.Regions.Skip(i + 1)] };
    }

    /// <summary>sysfs format then parse gives the regions back, with SwMsi read as Msi and prot lost.</summary>
    public void CheckSysfsRoundTrip()
    {
        string text = SysfsFormat.Format(Regions);
        if (!new ModelSysfsParser().TryParse(System.Text.Encoding.ASCII.GetBytes(text), out var parsed, out var error))
            throw new Divergence($"the parser rejects the formatter's own text: {error}");
        var expected = Regions.Select(r => new ResvRegion(r.Range, IommuProt.None, r.Type == ResvType.SwMsi ? ResvType.Msi : r.Type));
        if (!parsed.SequenceEqual(expected))
            throw new Divergence("sysfs round trip differs", string.Join(", ", expected), string.Join(", ", parsed));
    }

    /// <summary>
    /// The merge is sorted by (start, type), leaves no same-type neighbours that the profile's
    /// rule would join, covers exactly the addresses of each type it was given (checked at every
    /// region edge), and, unless a join can wrap, merging its result again changes nothing.
    /// </summary>
    public void CheckMerge(Func<IEnumerable<ResvRegion>, List<ResvRegion>> merge)
    {
        var rules = Kernel.ResvMerge;
        var joins = ResvRegionMerge.Joins(rules);
        var merged = merge(Regions);
        for (int i = 1; i < merged.Count; i++)
        {
            if ((merged[i].Start, merged[i].Type).CompareTo((merged[i - 1].Start, merged[i - 1].Type)) < 0)
                throw new Divergence($"merged list out of order at {merged[i]}");
        }

        foreach (var group in merged.GroupBy(r => r.Type))
        {
            var same = group.ToList();
            for (int i = 1; i < same.Count; i++)
            {
                if (joins(same[i - 1].Range, same[i].Range))
                    throw new Divergence($"{same[i - 1]} and {same[i]} should have merged");
            }
        }

        var probes = Regions.SelectMany(r => new[] { r.Start, r.Last, r.Start - 1, r.Last + 1 });
        foreach (ulong address in probes)
        {
            foreach (var type in Enum.GetValues<ResvType>())
            {
                bool given = Regions.Any(r => r.Type == type && r.Range.Contains(address));
                bool covered = merged.Any(r => r.Type == type && r.Range.Contains(address));
                if (given != covered)
                    throw new Divergence($"after the merge, 0x{address:x} is {(covered ? "" : "not ")}{type}", given.ToString(), covered.ToString());
            }
        }

        // Under the kernel's wrapping rule, merging again may join what the first pass left apart.
        if (rules == ResvMergeRules.Touching && !merge(merged).Select(r => (r.Range, r.Type)).SequenceEqual(merged.Select(r => (r.Range, r.Type))))
            throw new Divergence("merging a merged list changed it");
    }

    /// <summary>The merge gives the profile's one-at-a-time insertion's list exactly: order, ranges, types and prots.</summary>
    public void CheckSameAsInsertion(Func<IEnumerable<ResvRegion>, List<ResvRegion>> merge)
    {
        var expected = ResvRegionMerge.Merge(Regions, Kernel);
        var actual = merge(Regions);
        if (!actual.SequenceEqual(expected))
            throw new Divergence("merged lists differ", Describe(expected), Describe(actual));
    }

    private static string Describe(IEnumerable<ResvRegion> regions) => $"[{string.Join(", ", regions.Select(r => $"{r} {r.Prot}"))}]";

    public override string ToString() => $"profile {Profile}: [{string.Join(", ", Regions)}]";
}
