using Harness.Model;

namespace Harness.Implementation;

public sealed partial class VfioContainer
{
    /// <summary>
    /// The mapping tree and page table are sound; every mapping lies in one valid range, clear
    /// of every attached group's excluded regions (where the profile's searches see them all), and translates at both ends; every doorbell
    /// page lies in the window, translates and is indexed by its phys; dma_avail and the invalid-vaddr
    /// count account for every mapping.
    /// </summary>
    public void CheckInvariants()
    {
        mappings.CheckInvariants();
        pageTable.CheckInvariants();
        if (dmaTree is not null && dmaTree.Count != mappings.Count)
            throw new InvariantViolation($"the kernel's tree holds {dmaTree.Count} mappings, the range tree {mappings.Count}");
        if (dmaAvail + (uint)mappings.Count != dmaEntryLimit)
            throw new InvariantViolation($"dma_avail {dmaAvail} + {mappings.Count} mappings != limit {dmaEntryLimit}");
        for (int i = 1; i < validIovas.Length; i++)
        {
            if (!validIovas[i - 1].IsApartBefore(validIovas[i]))
                throw new InvariantViolation($"valid ranges {validIovas[i - 1]} and {validIovas[i]} are not sorted and apart");
        }

        if (HasIommu != (validIovas.Length > 0) || HasIommu != (iovaPgsizes != 0))
            throw new InvariantViolation("valid list, page sizes and attached groups disagree on whether there is an IOMMU");

        int invalid = mappings.InOrder().Count(m => m.Value.VaddrInvalid);
        if (invalid != vaddrInvalidCount)
            throw new InvariantViolation($"{invalid} mappings have an invalid vaddr but the count says {vaddrInvalidCount}");
        foreach (var (start, last, entry) in mappings.InOrder())
        {
            // Before v6.18 an attach whose conflict searches end at 2^64 - 1 finds no mapping, so one can be left outside the list.
            var range = new IovaRange(start, last);
            if (findDma == FindDmaRules.Inclusive && !IovaListSweep.ContainsWhole(validIovas, range))
                throw new InvariantViolation($"mapping {range} is not inside one valid range");
            if (findDma == FindDmaRules.Inclusive && groups.Any(g => g.ResvRegions.Any(r => r.IsExcludedFromIovas && r.Range.Overlaps(range))))
                throw new InvariantViolation($"mapping {range} overlaps a reserved region");
            ExpectTranslation(start, entry.Phys, entry.Prot.ToIommuProt());
            ExpectTranslation(last, entry.Phys + (last - start), entry.Prot.ToIommuProt());
        }

        doorbells?.CheckInvariants();
        foreach (var page in doorbells?.Pages ?? [])
        {
            if (mappings.FindFirstOverlapping(page.Iova, page.Iova + (Vfio.PageSize - 1), out _, out _, out _))
                throw new InvariantViolation($"doorbell page 0x{page.Iova:x} overlaps a DMA mapping");
            ExpectTranslation(page.Iova, page.Phys, Vfio.DoorbellProt);
        }
    }

    private void ExpectTranslation(ulong iova, ulong phys, IommuProt prot)
    {
        if (!pageTable.Translate(iova, out ulong got, out var gotProt) || got != phys || gotProt != prot)
            throw new InvariantViolation($"0x{iova:x} should translate to 0x{phys:x} with {prot}");
    }
}
