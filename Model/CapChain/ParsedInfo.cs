namespace Harness.Model;

/// <summary>One capability as a parser found it: where it is, its header, and what it says.</summary>
public abstract record InfoCap(int Offset, ushort Id, ushort Version, uint Next);

/// <summary>VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE: the valid IOVA list.</summary>
public sealed record IovaRangeInfoCap(int Offset, uint Next, IReadOnlyList<IovaRange> Ranges)
    : InfoCap(Offset, (ushort)CapId.IovaRange, Type1Info.CapVersion, Next)
{
    public bool Equals(IovaRangeInfoCap? other) =>
        other is not null && base.Equals(other) && Ranges.SequenceEqual(other.Ranges);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Ranges.Count);
}

/// <summary>VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION.</summary>
public sealed record MigrationInfoCap(int Offset, uint Next, uint Flags, ulong PgsizeBitmap, ulong MaxDirtyBitmapSize)
    : InfoCap(Offset, (ushort)CapId.Migration, Type1Info.CapVersion, Next);

/// <summary>VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL.</summary>
public sealed record DmaAvailInfoCap(int Offset, uint Next, uint Avail)
    : InfoCap(Offset, (ushort)CapId.DmaAvail, Type1Info.CapVersion, Next);

/// <summary>An id this parser does not know, or a known id with a version other than 1: skipped.</summary>
public sealed record UnknownInfoCap(int Offset, ushort Id, ushort Version, uint Next)
    : InfoCap(Offset, Id, Version, Next);

/// <summary>
/// A GET_INFO buffer as userspace understands it. Only <c>min(argsz, length)</c> bytes were read;
/// <see cref="Truncated"/> says the kernel asked for a larger buffer (retry with <see cref="Argsz"/>).
/// </summary>
public sealed record ParsedInfo(
    int Length,
    uint Argsz,
    uint Flags,
    ulong IovaPgsizes,
    uint CapOffset,
    IReadOnlyList<InfoCap> Caps)
{
    public bool Truncated => Argsz > Length;

    /// <summary>The first IOVA_RANGE capability's ranges; null when there is none (a kernel before v5.4: no list known).</summary>
    public IReadOnlyList<IovaRange>? IovaRanges => Caps.OfType<IovaRangeInfoCap>().FirstOrDefault()?.Ranges;

    public uint? DmaAvail => Caps.OfType<DmaAvailInfoCap>().FirstOrDefault()?.Avail;

    public MigrationInfoCap? Migration => Caps.OfType<MigrationInfoCap>().FirstOrDefault();

    public bool Equals(ParsedInfo? other) =>
        other is not null
        && Length == other.Length && Argsz == other.Argsz && Flags == other.Flags
        && IovaPgsizes == other.IovaPgsizes && CapOffset == other.CapOffset
        && Caps.SequenceEqual(other.Caps);

    public override int GetHashCode() => HashCode.Combine(Length, Argsz, Flags, IovaPgsizes, CapOffset, Caps.Count);
}
