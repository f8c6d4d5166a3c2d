using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// The doorbell pages mapped through one MSI window (docs/SPEC.md §4): indexed by physical page
/// for reuse, handed out from the window's first whole page up, bounded by the window.
/// </summary>
internal sealed class DoorbellPages(IovaRange window)
{
    private const ulong PageMask = Vfio.PageSize - 1;
    private readonly IovaRange window = window;
    private readonly Dictionary<ulong, ulong> iovaByPhys = [];
    private readonly List<MsiPage> pages = [];

    public IovaRange Window => window;

    public IReadOnlyList<MsiPage> Pages => pages;

    /// <summary>
    /// The IOVA for <paramref name="doorbell"/>: its page's if mapped already; else the next page
    /// (ENOSPC once the window is full), which <paramref name="install"/> maps (iova, phys) or
    /// refuses (ENOMEM, as iommu_dma_get_msi_page fails when iommu_map does).
    /// </summary>
    public Errno Prepare(ulong doorbell, Func<ulong, ulong, bool> install, out ulong msiIova)
    {
        msiIova = 0;
        ulong page = doorbell & ~PageMask;
        ulong offset = doorbell - page;
        if (iovaByPhys.TryGetValue(page, out ulong mapped))
        {
            msiIova = mapped + offset;
            return Errno.Ok;
        }

        if (!TryNext(out ulong next))
            return Errno.ENOSPC;
        if (!install(next, page))
            return Errno.ENOMEM;
        iovaByPhys.Add(page, next);
        pages.Add(new MsiPage(page, next));
        msiIova = next + offset;
        return Errno.Ok;
    }

    /// <summary>The page after the last doorbell page; false once the window is full.</summary>
    private bool TryNext(out ulong next)
    {
        next = 0;
        ulong first = (window.Start + PageMask) & ~PageMask;
        if (first < window.Start || first > window.Last)
            return false;
        ulong pagesInWindow = window.Last - first < PageMask ? 0 : ((window.Last - first - PageMask) / Vfio.PageSize) + 1;
        if ((ulong)pages.Count >= pagesInWindow)
        {
            StructuralEvents.Note(StructuralEvent.ContainerMsiWindowFull);
            return false;
        }

        next = first + ((ulong)pages.Count * Vfio.PageSize);
        return true;
    }

    /// <summary>Every page inside the window and indexed under its physical page, once.</summary>
    public void CheckInvariants()
    {
        foreach (var page in pages)
        {
            if (!window.Contains(new IovaRange(page.Iova, page.Iova + PageMask)))
                throw new InvariantViolation($"doorbell page 0x{page.Iova:x} is outside the MSI window");
            if (!iovaByPhys.TryGetValue(page.Phys, out ulong indexed) || indexed != page.Iova)
                throw new InvariantViolation($"doorbell page 0x{page.Iova:x} is not indexed under its phys 0x{page.Phys:x}");
        }

        if (iovaByPhys.Count != pages.Count)
            throw new InvariantViolation($"{iovaByPhys.Count} doorbells indexed but {pages.Count} doorbell pages");
    }
}
