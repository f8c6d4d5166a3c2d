namespace Harness.Model;

/// <summary>An io-pgtable: the IOMMU's translation path (docs/SPEC.md §6).</summary>
public interface IIoPageTable
{
    IoPgtableConfig Config { get; }

    /// <summary>Maps <c>[iova, iova+size)</c> to <c>[phys, phys+size)</c>; EEXIST and no change if any of it is mapped.</summary>
    Errno Map(ulong iova, ulong phys, ulong size, IommuProt prot);

    /// <summary>
    /// Unmaps from <paramref name="iova"/> upwards until <paramref name="size"/> bytes or the first
    /// unmapped granule; returns the bytes unmapped (0 for a misaligned or out-of-range request).
    /// </summary>
    ulong Unmap(ulong iova, ulong size);

    /// <summary>iova_to_phys; false is a translation fault.</summary>
    bool Translate(ulong iova, out ulong phys, out IommuProt prot);
}
