using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// A GET_INFO buffer that <see cref="CapChainReader"/> has validated: reads fields straight from
/// the caller's bytes, allocates nothing. Only the first capability of each known id counts
/// for the accessors; <see cref="Capabilities"/> walks every one. The reader kept only where the
/// first IOVA_RANGE is; header fields are read from the bytes, and MIGRATION, DMA_AVAIL and the
/// count are found by walking the validated chain.
/// </summary>
public readonly ref struct InfoView
{
    private readonly ReadOnlySpan<byte> data;
    private readonly int firstIovaRange;

    internal InfoView(ReadOnlySpan<byte> data, int length, int firstIovaRange)
    {
        this.data = data;
        this.firstIovaRange = firstIovaRange;
        Length = length;
    }

    /// <summary>The length of the buffer given to the parser (only <c>min(argsz, length)</c> of it was read).</summary>
    public int Length { get; }

    public uint Argsz => InfoBytes.U32(data, Type1Info.ArgszOffset);

    public uint CapOffset => CapChainReader.CapOffset(data);

    public uint Flags => InfoBytes.U32(data, Type1Info.FlagsOffset);

    public ulong IovaPgsizes => InfoBytes.U64(data, Type1Info.PgsizesOffset);

    /// <summary>The kernel needed more room than the buffer: retry with <see cref="Argsz"/>.</summary>
    public bool Truncated => Argsz > (uint)Length;

    public int CapCount
    {
        get
        {
            int count = 0;
            foreach (var _ in Capabilities)
                count++;
            return count;
        }
    }

    /// <summary>False: no IOVA_RANGE, as from a kernel before v5.4, so no list is known.</summary>
    public bool HasIovaRanges => firstIovaRange >= 0;

    public IovaRangeList IovaRanges => HasIovaRanges ? IovaRangeList.OfCap(data, firstIovaRange) : default;

    public bool TryGetDmaAvail(out uint avail)
    {
        int at = First(CapId.DmaAvail);
        avail = at >= 0 ? InfoBytes.U32(data, at + DmaAvailCapLayout.AvailOffset) : 0;
        return at >= 0;
    }

    public bool TryGetMigration(out uint flags, out ulong pgsizeBitmap, out ulong maxDirtyBitmapSize)
    {
        int at = First(CapId.Migration);
        (flags, pgsizeBitmap, maxDirtyBitmapSize) = at < 0 ? (0u, 0ul, 0ul) : (
            InfoBytes.U32(data, at + MigrationCapLayout.FlagsOffset),
            InfoBytes.U64(data, at + MigrationCapLayout.PgsizeBitmapOffset),
            InfoBytes.U64(data, at + MigrationCapLayout.MaxDirtyBitmapSizeOffset));
        return at >= 0;
    }

    public CapEnumerator Capabilities => new(data, CapOffset);

    private int First(CapId id)
    {
        foreach (var cap in Capabilities)
        {
            if (cap.IsKnown && cap.Id == (ushort)id)
                return cap.Offset;
        }

        return -1;
    }
}
