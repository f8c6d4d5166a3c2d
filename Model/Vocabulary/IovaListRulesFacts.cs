namespace Harness.Model;

/// <summary>vfio_iommu_aper_resize's edge test (docs/SPEC.md §2 step 4), stated once for the model and the implementation.</summary>
public static class IovaListRulesFacts
{
    /// <summary>
    /// Whether clipping a non-empty list to <paramref name="aperture"/> keeps (part of) <paramref name="node"/>. The kernel
    /// moves a node's start only when <c>start &lt; node->end</c> and its end only when <c>end &gt; node->start</c>, and
    /// deletes it otherwise, so a node that meets the aperture in one address at its own edge goes.
    /// </summary>
    public static bool Keeps(this IovaListRules rules, IovaRange node, IovaRange aperture) => rules == IovaListRules.AperResize
        ? node.Last > aperture.Start && node.Start < aperture.Last
        : node.Overlaps(aperture);
}
