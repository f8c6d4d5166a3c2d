namespace Harness.Model;

/// <summary>
/// struct iommu_resv_region: a reserved IOVA range with its prot and type. The kernel keeps
/// <c>{start, length}</c>; the range form is used here so a region may end at 2^64 - 1.
/// </summary>
public readonly record struct ResvRegion(IovaRange Range, IommuProt Prot, ResvType Type)
{
    public ulong Start => Range.Start;

    public ulong Last => Range.Last;

    /// <summary>Every type except <see cref="ResvType.DirectRelaxable"/> is cut out of the valid IOVA list.</summary>
    public bool IsExcludedFromIovas => Type != ResvType.DirectRelaxable;

    public override string ToString() => $"{Type} {Range}";
}
