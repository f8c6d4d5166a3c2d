namespace Harness.Model;

/// <summary>
/// One entry of vfio_iommu's domain_list (docs/SPEC.md §2 "Domains"): the geometry and page sizes
/// of the IOMMU domain the attach of its first group allocated, and the groups attached to it.
/// A group that joins keeps the domain's geometry and page sizes, and the domain outlives the
/// group that made it while any group is left.
/// </summary>
public sealed record VfioDomain(int? Key, IovaRange Aperture, ulong PgsizeBitmap, IReadOnlyList<int> GroupIds)
{
    /// <summary>The domain a group attaches to: the first with its key (iommu_ops and coherency match), or -1 for a new one.</summary>
    public static int JoinedBy(IReadOnlyList<VfioDomain> domains, IommuGroup group)
    {
        for (int i = 0; group.Domain is not null && i < domains.Count; i++)
        {
            if (domains[i].Key == group.Domain)
                return i;
        }

        return -1;
    }

    /// <summary>The list after <paramref name="group"/> attaches: joining its domain, or a new domain added at the head (list_add).</summary>
    public static List<VfioDomain> Attach(IReadOnlyList<VfioDomain> domains, IommuGroup group)
    {
        var result = domains.ToList();
        int joined = JoinedBy(domains, group);
        if (joined >= 0)
            result[joined] = result[joined] with { GroupIds = [group.Id, .. result[joined].GroupIds] };
        else
            result.Insert(0, new VfioDomain(group.Domain, group.Aperture, group.PgsizeBitmap, [group.Id]));
        return result;
    }

    /// <summary>The list after the group detaches, and whether its domain went away with it (its last group).</summary>
    public static List<VfioDomain> Detach(IReadOnlyList<VfioDomain> domains, int groupId, out bool domainFreed)
    {
        var result = domains.ToList();
        int index = result.FindIndex(d => d.GroupIds.Contains(groupId));
        var left = result[index].GroupIds.Where(id => id != groupId).ToList();
        domainFreed = left.Count == 0;
        if (domainFreed)
            result.RemoveAt(index);
        else
            result[index] = result[index] with { GroupIds = left };
        return result;
    }

    /// <summary>
    /// vfio_iommu_aper_expand's window: the intersection of the domains' apertures (from [0, 2^64 − 1]).
    /// </summary>
    public static IovaRange Window(IReadOnlyList<VfioDomain> domains)
    {
        ulong start = 0, end = ulong.MaxValue;
        foreach (var domain in domains)
        {
            start = Math.Max(start, domain.Aperture.Start);
            end = Math.Min(end, domain.Aperture.Last);
        }

        return new IovaRange(start, end);
    }

    /// <summary>vfio_update_pgsize_bitmap over the domain list.</summary>
    public static ulong Pgsizes(IEnumerable<VfioDomain> domains) => IovaPgsizes.Of(domains.Select(d => d.PgsizeBitmap));
}
