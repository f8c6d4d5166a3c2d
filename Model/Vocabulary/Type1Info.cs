namespace Harness.Model;

/// <summary>
/// struct vfio_iommu_type1_info (24 bytes, little-endian) and its capability chain, as laid
/// out in include/uapi/linux/vfio.h. Every offset is from the start of the caller's buffer.
/// </summary>
public static class Type1Info
{
    public const int ArgszOffset = 0;
    public const int FlagsOffset = 4;
    public const int PgsizesOffset = 8;
    public const int CapOffsetOffset = 16;

    /// <summary>sizeof(struct vfio_iommu_type1_info); the first capability sits right after it.</summary>
    public const int HeaderSize = 24;

    /// <summary>offsetofend(iova_pgsizes): the smallest argsz the kernel accepts (the pre-v5.4 struct).</summary>
    public const int MinArgsz = 16;

    /// <summary>offsetofend(cap_offset): with argsz below this the kernel copies back only 16 bytes.</summary>
    public const int CapOffsetEnd = 20;

    public const ushort CapVersion = 1;
}

/// <summary>VFIO_IOMMU_INFO_* flags.</summary>
[Flags]
public enum InfoFlags : uint
{
    None = 0,
    Pgsizes = 1,
    Caps = 2,
}

/// <summary>VFIO_IOMMU_TYPE1_INFO_CAP_* ids.</summary>
public enum CapId : ushort
{
    IovaRange = 1,
    Migration = 2,
    DmaAvail = 3,
}

/// <summary>struct vfio_info_cap_header: u16 id, u16 version, u32 next.</summary>
public static class CapHeader
{
    public const int Size = 8;
    public const int IdOffset = 0;
    public const int VersionOffset = 2;
    public const int NextOffset = 4;

    /// <summary>The version field of a version-1 header, in place in the header's low u32 (ids go in the bits below).</summary>
    public const uint Version1 = (uint)Type1Info.CapVersion << (8 * VersionOffset);
}

/// <summary>struct vfio_iommu_type1_info_cap_iova_range: header, u32 nr_iovas, u32 reserved, then {u64 start, u64 end}[].</summary>
public static class IovaRangeCapLayout
{
    public const int NrIovasOffset = 8;
    public const int RangesOffset = 16;
    public const int RangeSize = 16;

    /// <summary>struct_size(cap, iova_ranges, n), computed in 64 bits so no u32 count overflows it.</summary>
    public static ulong SizeFor(ulong nrIovas) => RangesOffset + RangeSize * nrIovas;
}

/// <summary>struct vfio_iommu_type1_info_cap_migration (32 bytes).</summary>
public static class MigrationCapLayout
{
    public const int Size = 32;
    public const int FlagsOffset = 8;
    public const int PgsizeBitmapOffset = 16;
    public const int MaxDirtyBitmapSizeOffset = 24;

    /// <summary>DIRTY_BITMAP_SIZE_MAX: the bitmap bytes for INT_MAX pages.</summary>
    public const ulong MaxDirtyBitmapSize = 0x10000000;
}

/// <summary>struct vfio_iommu_type1_info_dma_avail (12 bytes).</summary>
public static class DmaAvailCapLayout
{
    public const int Size = 12;
    public const int AvailOffset = 8;

    /// <summary>The size padded to 8 bytes, as v6.6+ type1 and iommufd place it.</summary>
    public const int PaddedSize = 16;
}

/// <summary>The GET_INFO writers a parser meets in the wild (docs/SPEC.md §3).</summary>
public enum InfoLayout
{
    /// <summary>Linux v6.6+ type1: MIGRATION, DMA_AVAIL, IOVA_RANGE, each padded to 8 bytes.</summary>
    Type1V66,

    /// <summary>Linux v5.10–v6.5 type1: the same chain unpadded, so IOVA_RANGE starts at 68.</summary>
    Type1PreV66,

    /// <summary>iommufd's VFIO compatibility: DMA_AVAIL (0xffffffff) then IOVA_RANGE; argsz is always the full size.</summary>
    IommufdCompat,
}
