namespace Harness.Model;

/// <summary>IOMMU_READ … IOMMU_PRIV from include/linux/iommu.h.</summary>
[Flags]
public enum IommuProt
{
    None = 0,
    Read = 1,
    Write = 2,
    Cache = 4,
    NoExec = 8,
    Mmio = 16,
    Priv = 32,
}
