namespace Harness.Model;

/// <summary>
/// A domain's MSI cookie and the doorbell pages iommu_dma_get_msi_page mapped through it
/// (docs/SPEC.md §4): immutable, so a container's snapshot shares it.
/// </summary>
public sealed record MsiCookie(IovaRange Window, IReadOnlyList<MsiPage> Pages)
{
    public MsiCookie(IovaRange window)
        : this(window, [])
    {
    }

    /// <summary>
    /// The IOVA for <paramref name="doorbell"/>: its page's if mapped already; else the window's
    /// next page (ENOSPC once the window is full, the project's bound), unless a DMA mapping holds
    /// that page, where iommu_map fails and so does the call (ENOMEM). <paramref name="next"/> is
    /// the cookie afterwards.
    /// </summary>
    public Errno Prepare(ulong doorbell, Func<IovaRange, bool> dmaMapped, out ulong msiIova, out MsiCookie next)
    {
        next = this;
        msiIova = 0;
        ulong page = doorbell & ~(Vfio.PageSize - 1);
        ulong offset = doorbell - page;
        foreach (var mapped in Pages)
        {
            if (mapped.Phys == page)
            {
                msiIova = mapped.Iova + offset;
                return Errno.Ok;
            }
        }

        UInt128 firstPage = ((UInt128)Window.Start + Vfio.PageSize - 1) / Vfio.PageSize * Vfio.PageSize;
        UInt128 at = firstPage + ((UInt128)Pages.Count * Vfio.PageSize);
        if (at + Vfio.PageSize - 1 > Window.Last)
            return Errno.ENOSPC;
        if (dmaMapped(new IovaRange((ulong)at, (ulong)at + Vfio.PageSize - 1)))
            return Errno.ENOMEM;

        next = this with { Pages = [.. Pages, new MsiPage(page, (ulong)at)] };
        msiIova = (ulong)at + offset;
        return Errno.Ok;
    }

    /// <summary>The doorbell page holding <paramref name="iova"/>, if any.</summary>
    public bool Translate(ulong iova, out ulong phys)
    {
        foreach (var page in Pages)
        {
            if (iova >= page.Iova && iova - page.Iova < Vfio.PageSize)
            {
                phys = page.Phys + (iova - page.Iova);
                return true;
            }
        }

        phys = 0;
        return false;
    }
}
