namespace Harness.Model;

/// <summary>Which prots a page-table map accepts (docs/SPEC.md §6).</summary>
public static class IommuProtRules
{
    /// <summary>Every bit include/linux/iommu.h defines.</summary>
    public const IommuProt Known = IommuProt.Read | IommuProt.Write | IommuProt.Cache | IommuProt.NoExec | IommuProt.Mmio | IommuProt.Priv;

    /// <summary>READ or WRITE, and no bit outside <see cref="Known"/>.</summary>
    public static bool IsMappable(IommuProt prot) => (prot & (IommuProt.Read | IommuProt.Write)) != 0 && (prot & ~Known) == 0;
}
