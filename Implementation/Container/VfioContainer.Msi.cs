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
        if (msiWindow is not IovaRange window)
        {
            msiIova = doorbell;
            return Errno.Ok;
        }

        ulong page = doorbell & ~(Vfio.PageSize - 1);
        ulong offset = doorbell - page;
        if (msiIovaByPhys.TryGetValue(page, out ulong mapped))
        {
            msiIova = mapped + offset;
            return Errno.Ok;
        }

        if (!TryNextDoorbellPage(window, out ulong next))
        {
            StructuralEvents.Note(StructuralEvent.ContainerMsiWindowFull);
            return Errno.ENOSPC;
        }
        if (pageTable.Map(next, page, Vfio.PageSize, Vfio.DoorbellProt) != Errno.Ok)
            return Errno.ENOMEM;
        msiIovaByPhys.Add(page, next);
        msiPages.Add(new MsiPage(page, next));
        msiIova = next + offset;
        return Errno.Ok;
    }

    /// <summary>The page after the last doorbell page, counting from the window's first whole page; false once the window is full.</summary>
    private bool TryNextDoorbellPage(IovaRange window, out ulong next)
    {
        const ulong pageMask = Vfio.PageSize - 1;
        next = 0;
        ulong first = (window.Start + pageMask) & ~pageMask;
        if (first < window.Start)
            return false;
        ulong pagesInWindow = window.Last - first < pageMask ? 0 : ((window.Last - first - pageMask) / Vfio.PageSize) + 1;
        if (first > window.Last || (ulong)msiPages.Count >= pagesInWindow)
            return false;
        next = first + ((ulong)msiPages.Count * Vfio.PageSize);
        return true;
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
        if (window == msiWindow)
            return;
        foreach (var page in msiPages)
            pageTable.Unmap(page.Iova, Vfio.PageSize);
        msiPages.Clear();
        msiIovaByPhys.Clear();
        msiWindow = window;
    }
}
