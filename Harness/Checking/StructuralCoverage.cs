using System.Text;
using Harness.Implementation;
using Harness.Properties;

namespace Harness.Cli.Checking;

/// <summary>
/// What <c>check --coverage</c> says of a property: the structural events its cases reached, with
/// counts, and those it can reach (<see cref="ICheckProperty.Reaches"/>) but never did: a
/// property that never touches a page table is not blamed for missing a block split.
/// </summary>
public sealed record StructuralCoverage(IReadOnlyList<(StructuralEvent Event, long Count)> Reached, IReadOnlyList<StructuralEvent> Missed)
{
    public static StructuralCoverage Of(long[] counts, IReadOnlyList<StructuralEvent> reaches) => new(
        [.. Enum.GetValues<StructuralEvent>().Where(e => counts[(int)e] > 0).Select(e => (e, counts[(int)e]))],
        [.. reaches.Where(e => counts[(int)e] == 0)]);

    /// <summary>"tree leaf-split": the part, then the event in words.</summary>
    public static string Name(StructuralEvent what)
    {
        string part = StructuralEvents.Subsystem(what);
        string rest = what.ToString()[part.Replace(" ", "", StringComparison.Ordinal).Length..];
        var words = new StringBuilder();
        foreach (char c in rest)
        {
            if (char.IsUpper(c) && words.Length > 0)
                words.Append('-');
            words.Append(char.ToLowerInvariant(c));
        }

        return $"{part} {words}";
    }

    public string Describe() =>
        $"reached {(Reached.Count == 0 ? "none" : string.Join(", ", Reached.Select(r => $"{Name(r.Event)} {r.Count:N0}")))}" +
        (Missed.Count == 0 ? "" : $"; never {string.Join(", ", Missed.Select(Name))}");
}
