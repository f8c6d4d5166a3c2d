using System.Buffers.Binary;
using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// The optimized GET_INFO writer: computes every capability's offset up front and writes the
/// fields straight into the caller's span (no intermediate buffers, no allocation). Byte-identical
/// to the model's writer in every layout; never writes at or past argsz.
/// </summary>
public sealed class InfoWriter : IInfoWriter
{
    private const int First = Type1Info.HeaderSize;
    private const int IovaRangeHeaderSize = IovaRangeCapLayout.RangesOffset;

    public Errno Write(Span<byte> buffer, InfoLayout layout, ulong iovaPgsizes, uint dmaAvail, ReadOnlySpan<IovaRange> iovaRanges)
    {
        if (buffer.Length < Type1Info.MinArgsz)
            return Errno.EFAULT;
        uint argsz = BinaryPrimitives.ReadUInt32LittleEndian(buffer);
        if (argsz < Type1Info.MinArgsz)
            return Errno.EINVAL;
        if (argsz > (uint)buffer.Length)
            return Errno.EFAULT;

        var user = buffer[..(int)argsz];
        if (layout == InfoLayout.IommufdCompat)
            WriteCompat(user, iovaPgsizes, iovaRanges);
        else
            WriteType1(user, layout == InfoLayout.Type1V66, iovaPgsizes, dmaAvail, iovaRanges);
        return Errno.Ok;
    }

    private static void WriteType1(Span<byte> user, bool padded, ulong iovaPgsizes, uint dmaAvail, ReadOnlySpan<IovaRange> ranges)
    {
        const int migrationAt = First;
        const int dmaAvailAt = migrationAt + MigrationCapLayout.Size;
        int dmaAvailSize = padded ? DmaAvailCapLayout.PaddedSize : DmaAvailCapLayout.Size;
        int iovaAt = dmaAvailAt + dmaAvailSize;
        long total = ranges.IsEmpty ? iovaAt : iovaAt + IovaRangeHeaderSize + ((long)IovaRangeCapLayout.RangeSize * ranges.Length);

        bool fits = user.Length >= total;
        if (fits)
        {
            user[First..(int)total].Clear();
            PutCap(user, migrationAt, CapId.Migration, dmaAvailAt);
            PutU64(user, migrationAt + MigrationCapLayout.PgsizeBitmapOffset, IovaPgsizes.MinPageSize(iovaPgsizes));
            PutU64(user, migrationAt + MigrationCapLayout.MaxDirtyBitmapSizeOffset, MigrationCapLayout.MaxDirtyBitmapSize);
            PutCap(user, dmaAvailAt, CapId.DmaAvail, ranges.IsEmpty ? 0u : (uint)iovaAt);
            PutU32(user, dmaAvailAt + DmaAvailCapLayout.AvailOffset, dmaAvail);
            if (!ranges.IsEmpty)
                PutIovaRanges(user, iovaAt, ranges, withHeader: true, ranges.Length);
        }

        PutHeader(user, fits ? (uint)user.Length : (uint)total, iovaPgsizes);
        // v6.6+ copies back min(argsz, 24) bytes of a zeroed struct: cap_offset's bytes that fit, and the pad.
        if (padded)
            user[Type1Info.CapOffsetOffset..Math.Min(user.Length, Type1Info.HeaderSize)].Clear();
        if (user.Length >= Type1Info.CapOffsetEnd)
            PutU32(user, Type1Info.CapOffsetOffset, fits ? (uint)First : 0u);
    }

    /// <summary>
    /// iommufd fills what fits of each capability: DMA_AVAIL if its 12 bytes fit (linked once
    /// argsz reaches IOVA_RANGE), each range that fits, IOVA_RANGE's header only if all do.
    /// </summary>
    private static void WriteCompat(Span<byte> user, ulong iovaPgsizes, ReadOnlySpan<IovaRange> ranges)
    {
        const int dmaAvailAt = First;
        const int iovaAt = dmaAvailAt + DmaAvailCapLayout.PaddedSize;
        int length = user.Length;
        long total = iovaAt + IovaRangeHeaderSize + ((long)IovaRangeCapLayout.RangeSize * ranges.Length);

        if (length >= dmaAvailAt + DmaAvailCapLayout.Size)
        {
            PutCap(user, dmaAvailAt, CapId.DmaAvail, length >= iovaAt ? (uint)iovaAt : 0u);
            PutU32(user, dmaAvailAt + DmaAvailCapLayout.AvailOffset, uint.MaxValue);
        }

        int avail = length - iovaAt;
        int rangesThatFit = avail < IovaRangeHeaderSize ? 0 : Math.Min(ranges.Length, (avail - IovaRangeHeaderSize) / IovaRangeCapLayout.RangeSize);
        PutIovaRanges(user, iovaAt, ranges[..rangesThatFit], withHeader: length >= total, ranges.Length);

        // stackalloc zeroes (no SkipLocalsInit here), so the padding after cap_offset is 0.
        Span<byte> header = stackalloc byte[Type1Info.HeaderSize];
        PutHeader(header, (uint)total, iovaPgsizes);
        PutU32(header, Type1Info.CapOffsetOffset, length >= total ? (uint)First : 0u);
        header[..Math.Min(length, Type1Info.HeaderSize)].CopyTo(user);
    }

    private static void PutIovaRanges(Span<byte> user, int at, ReadOnlySpan<IovaRange> ranges, bool withHeader, int nrIovas)
    {
        for (int i = 0; i < ranges.Length; i++)
        {
            int rangeAt = at + IovaRangeHeaderSize + (IovaRangeCapLayout.RangeSize * i);
            PutU64(user, rangeAt, ranges[i].Start);
            PutU64(user, rangeAt + 8, ranges[i].Last);
        }

        if (withHeader)
        {
            PutCap(user, at, CapId.IovaRange, 0);
            PutU32(user, at + IovaRangeCapLayout.NrIovasOffset, (uint)nrIovas);
            PutU32(user, at + IovaRangeCapLayout.NrIovasOffset + 4, 0);
        }
    }

    private static void PutHeader(Span<byte> user, uint argsz, ulong iovaPgsizes)
    {
        PutU32(user, Type1Info.ArgszOffset, argsz);
        PutU32(user, Type1Info.FlagsOffset, (uint)(InfoFlags.Pgsizes | InfoFlags.Caps));
        PutU64(user, Type1Info.PgsizesOffset, iovaPgsizes);
    }

    private static void PutCap(Span<byte> user, int at, CapId id, uint next)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(user[(at + CapHeader.IdOffset)..], (ushort)id);
        BinaryPrimitives.WriteUInt16LittleEndian(user[(at + CapHeader.VersionOffset)..], Type1Info.CapVersion);
        PutU32(user, at + CapHeader.NextOffset, next);
    }

    private static void PutU32(Span<byte> user, int at, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(user[at..], value);

    private static void PutU64(Span<byte> user, int at, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(user[at..], value);
}
