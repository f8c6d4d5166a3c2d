namespace Harness.Model;

/// <summary>vfio_find_dma's end test (docs/SPEC.md §2 "Attach"), stated once for the model and the implementation.</summary>
public static class FindDmaRulesFacts
{
    /// <summary>
    /// Whether a search for mappings overlapping a range ending at <paramref name="last"/> can find
    /// one: not where <c>start + size</c> wraps to 0, since every mapping's iova is at least 0.
    /// </summary>
    public static bool Searches(this FindDmaRules rules, ulong last) => rules == FindDmaRules.Inclusive || last != ulong.MaxValue;
}
