namespace Harness.Model;

/// <summary>enum iommu_resv_type. The numeric values order regions with the same start (docs/SPEC.md §1).</summary>
public enum ResvType
{
    /// <summary>Must stay identity-mapped (an RMRR).</summary>
    Direct = 0,

    /// <summary>Identity-mapped, but may be relaxed for device assignment; never excluded from valid IOVAs.</summary>
    DirectRelaxable = 1,

    /// <summary>Never map (PCI host bridge windows, AMD HyperTransport).</summary>
    Reserved = 2,

    /// <summary>Hardware MSI doorbell, untranslated (x86 0xfee00000).</summary>
    Msi = 3,

    /// <summary>Software-managed MSI window the kernel maps doorbells into (Arm SMMU).</summary>
    SwMsi = 4,
}
