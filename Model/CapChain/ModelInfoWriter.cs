using System.Buffers.Binary;
using System.Numerics;

namespace Harness.Model;

/// <summary>
/// The reference GET_INFO writer, step for step as the kernel writes it:
/// vfio_iommu_type1_get_info (v6.6+ and earlier) and iommufd_vfio_iommu_get_info.
/// The caller's memory is sliced to argsz first, so no write can land at or past it.
/// </summary>
public sealed class ModelInfoWriter : IInfoWriter
{
    public Errno Write(Span<byte> buffer, InfoLayout layout, ulong iovaPgsizes, uint dmaAvail, ReadOnlySpan<IovaRange> iovaRanges)
    {
        if (buffer.Length < Type1Info.MinArgsz)
            return Errno.EFAULT;
        uint argsz = BinaryPrimitives.ReadUInt32LittleEndian(buffer);
        if (argsz < Type1Info.MinArgsz)
            return Errno.EINVAL;
        if (argsz > buffer.Length)
            return Errno.EFAULT;

        var user = buffer[..(int)argsz];
        if (layout == InfoLayout.IommufdCompat)
            WriteIommufdCompat(user, iovaPgsizes, iovaRanges);
        else
            WriteType1(user, padded: layout == InfoLayout.Type1V66, iovaPgsizes, dmaAvail, iovaRanges);
        return Errno.Ok;
    }

    /// <summary>
    /// Builds the chain (MIGRATION, DMA_AVAIL, IOVA_RANGE if any ranges) as vfio_info_cap_add does
    /// and copies it after the header only if all of it fits. The header copied back: v6.6+ zeroes
    /// the struct and copies min(argsz, 24) bytes of it; before, 16 bytes, or 20 (through
    /// cap_offset) when argsz allows.
    /// </summary>
    private static void WriteType1(Span<byte> user, bool padded, ulong iovaPgsizes, uint dmaAvail, ReadOnlySpan<IovaRange> iovaRanges)
    {
        var caps = new List<byte[]>
        {
            MigrationCap(IovaPgsizes.MinPageSize(iovaPgsizes)),
            DmaAvailCap(dmaAvail),
        };
        if (!iovaRanges.IsEmpty)
            caps.Add(IovaRangeCap(iovaRanges));
        if (padded)
            caps = caps.Select(PadTo8).ToList();
        byte[] chain = Link(caps, Type1Info.HeaderSize);

        uint argsz = (uint)user.Length;
        uint capOffset = 0;
        if (argsz < Type1Info.HeaderSize + chain.Length)
        {
            argsz = (uint)(Type1Info.HeaderSize + chain.Length);
        }
        else
        {
            chain.CopyTo(user[Type1Info.HeaderSize..]);
            capOffset = Type1Info.HeaderSize;
        }

        var header = Header(argsz, InfoFlags.Pgsizes | InfoFlags.Caps, iovaPgsizes, capOffset);
        int copied = padded
            ? Math.Min(user.Length, Type1Info.HeaderSize)
            : user.Length >= Type1Info.CapOffsetEnd ? Type1Info.CapOffsetEnd : Type1Info.MinArgsz;
        header.AsSpan(0, copied).CopyTo(user);
    }

    /// <summary>
    /// iommufd writes each capability straight into the caller's memory, as much as fits:
    /// DMA_AVAIL (12 bytes, if 12 fit), each IOVA range that fits, the IOVA_RANGE header only if
    /// all ranges fit, DMA_AVAIL's next once argsz reaches the second capability. argsz always
    /// becomes the full size; cap_offset is set only when everything fit.
    /// </summary>
    private static void WriteIommufdCompat(Span<byte> user, ulong iovaPgsizes, ReadOnlySpan<IovaRange> iovaRanges)
    {
        uint argsz = (uint)user.Length;
        const int dmaAvailAt = Type1Info.HeaderSize;
        const int iovaRangeAt = dmaAvailAt + DmaAvailCapLayout.PaddedSize;

        if (argsz > dmaAvailAt && argsz - dmaAvailAt >= DmaAvailCapLayout.Size)
            DmaAvailCap(uint.MaxValue).CopyTo(user[dmaAvailAt..]);

        int n = iovaRanges.Length;
        if (argsz > iovaRangeAt)
        {
            ulong avail = argsz - iovaRangeAt;
            for (int i = 0; i < n; i++)
            {
                if (avail >= IovaRangeCapLayout.SizeFor((ulong)i + 1))
                    RangeBytes(iovaRanges[i]).CopyTo(user[(iovaRangeAt + IovaRangeCapLayout.RangesOffset + IovaRangeCapLayout.RangeSize * i)..]);
            }

            if (avail >= IovaRangeCapLayout.SizeFor((ulong)n))
                IovaRangeCapHeader((uint)n).CopyTo(user[iovaRangeAt..]);
        }

        if (argsz >= iovaRangeAt)
            BinaryPrimitives.WriteUInt32LittleEndian(user[(dmaAvailAt + CapHeader.NextOffset)..], iovaRangeAt);

        uint total = (uint)(iovaRangeAt + (int)IovaRangeCapLayout.SizeFor((ulong)n));
        uint capOffset = argsz >= total ? Type1Info.HeaderSize : 0u;
        var header = Header(total, InfoFlags.Pgsizes | InfoFlags.Caps, iovaPgsizes, capOffset);
        header.AsSpan(0, Math.Min(user.Length, Type1Info.HeaderSize)).CopyTo(user);
    }

    private static byte[] Header(uint argsz, InfoFlags flags, ulong iovaPgsizes, uint capOffset)
    {
        var header = new byte[Type1Info.HeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(Type1Info.ArgszOffset), argsz);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(Type1Info.FlagsOffset), (uint)flags);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(Type1Info.PgsizesOffset), iovaPgsizes);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(Type1Info.CapOffsetOffset), capOffset);
        return header;
    }

    /// <summary>A zeroed capability of <paramref name="size"/> bytes with id and version 1; next is linked later.</summary>
    private static byte[] NewCap(CapId id, int size)
    {
        var cap = new byte[size];
        BinaryPrimitives.WriteUInt16LittleEndian(cap.AsSpan(CapHeader.IdOffset), (ushort)id);
        BinaryPrimitives.WriteUInt16LittleEndian(cap.AsSpan(CapHeader.VersionOffset), Type1Info.CapVersion);
        return cap;
    }

    private static byte[] MigrationCap(ulong pgsize)
    {
        var cap = NewCap(CapId.Migration, MigrationCapLayout.Size);
        BinaryPrimitives.WriteUInt64LittleEndian(cap.AsSpan(MigrationCapLayout.PgsizeBitmapOffset), pgsize);
        BinaryPrimitives.WriteUInt64LittleEndian(cap.AsSpan(MigrationCapLayout.MaxDirtyBitmapSizeOffset), MigrationCapLayout.MaxDirtyBitmapSize);
        return cap;
    }

    private static byte[] DmaAvailCap(uint avail)
    {
        var cap = NewCap(CapId.DmaAvail, DmaAvailCapLayout.Size);
        BinaryPrimitives.WriteUInt32LittleEndian(cap.AsSpan(DmaAvailCapLayout.AvailOffset), avail);
        return cap;
    }

    private static byte[] IovaRangeCapHeader(uint nrIovas)
    {
        var cap = NewCap(CapId.IovaRange, IovaRangeCapLayout.RangesOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(cap.AsSpan(IovaRangeCapLayout.NrIovasOffset), nrIovas);
        return cap;
    }

    private static byte[] RangeBytes(IovaRange range)
    {
        var bytes = new byte[IovaRangeCapLayout.RangeSize];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, range.Start);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), range.Last);
        return bytes;
    }

    private static byte[] IovaRangeCap(ReadOnlySpan<IovaRange> ranges)
    {
        var cap = new List<byte>(IovaRangeCapHeader((uint)ranges.Length));
        foreach (var range in ranges)
            cap.AddRange(RangeBytes(range));
        return [.. cap];
    }

    private static byte[] PadTo8(byte[] cap)
    {
        var padded = new byte[(cap.Length + 7) & ~7];
        cap.CopyTo(padded, 0);
        return padded;
    }

    /// <summary>Concatenates capabilities, each next pointing at the following one's offset in the buffer.</summary>
    private static byte[] Link(List<byte[]> caps, int firstOffset)
    {
        var chain = new List<byte>();
        for (int i = 0; i < caps.Count; i++)
        {
            int offset = firstOffset + chain.Count;
            uint next = i + 1 < caps.Count ? (uint)(offset + caps[i].Length) : 0;
            BinaryPrimitives.WriteUInt32LittleEndian(caps[i].AsSpan(CapHeader.NextOffset), next);
            chain.AddRange(caps[i]);
        }

        return [.. chain];
    }
}
