using Harness.Model;

namespace Harness.Implementation;

/// <summary>The software MSI window and its doorbell pages (docs/SPEC.md §4).</summary>
public sealed partial class VfioContainer
{
    public Errno PrepareMsi(ulong doorbell, out ulong msiIova)
    {
        msiIova = 0;
        if (!HasIommu)
            return Errno.EINVAL;
        if (doorbells is null)
        {
            msiIova = doorbell;
            return Errno.Ok;
        }

        return doorbells.Prepare(doorbell, (iova, phys) => pageTable.Map(iova, phys, Vfio.PageSize, Vfio.DoorbellProt) == Errno.Ok, out msiIova);
    }

    /// <summary>vfio_iommu_has_sw_msi: the group's last SwMsi region, unless it also has an Msi region.</summary>
    private static IovaRange? SwMsiWindow(IommuGroup group)
    {
        IovaRange? window = null;
        foreach (var region in group.ResvRegions)
        {
            if (region.Type == ResvType.Msi)
                return null;
            if (region.Type == ResvType.SwMsi)
                window = region.Range;
        }

        return window;
    }

    private IovaRange? LatestMsiWindow()
    {
        for (int i = groups.Count - 1; i >= 0; i--)
        {
            if (SwMsiWindow(groups[i]) is IovaRange window)
                return window;
        }

        return null;
    }

    /// <summary>A different window starts empty: the old doorbell pages are unmapped.</summary>
    private void SetMsiWindow(IovaRange? window)
    {
        if (window == doorbells?.Window)
            return;
        foreach (var page in doorbells?.Pages ?? [])
            pageTable.Unmap(page.Iova, Vfio.PageSize);
        doorbells = window is IovaRange w ? new DoorbellPages(w) : null;
    }
}
