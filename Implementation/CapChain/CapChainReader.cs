using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// The hardened GET_INFO parser: one bounded pass over <c>min(argsz, length)</c> bytes that
/// validates the whole chain and remembers where the known capabilities are; no allocation.
/// Every <c>next</c> must point strictly forward, so the walk cannot loop, and each
/// capability is bounded by its <c>next</c>, so the work is linear in the length. Any input
/// either yields an <see cref="InfoView"/> or one <see cref="CapChainError"/>; nothing throws.
/// Every read goes through a bounds-checked span.
/// </summary>
public static class CapChainReader
{
    private const int NoCap = -1;

    public static bool TryParse(ReadOnlySpan<byte> buffer, out InfoView info, out CapChainError error)
    {
        info = default;
        error = default;
        if (buffer.Length < Type1Info.MinArgsz)
            return Fail(ref error, CapChainCheck.BufferTooShort, 0, (ulong)buffer.Length);

        uint argsz = BinaryPrimitives.ReadUInt32LittleEndian(buffer);
        if (argsz < Type1Info.MinArgsz)
            return Fail(ref error, CapChainCheck.ArgszTooSmall, Type1Info.ArgszOffset, argsz);

        var data = argsz < (uint)buffer.Length ? buffer[..(int)argsz] : buffer;
        uint capOffset = data.Length >= Type1Info.CapOffsetEnd ? U32(data, Type1Info.CapOffsetOffset) : 0;
        var found = new CapOffsets(NoCap, 0, NoCap, NoCap, 0);
        if (capOffset != 0 && !TryWalk(data, capOffset, out found, ref error))
            return false;

        info = new InfoView(data, buffer.Length, argsz, capOffset, found);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryWalk(ReadOnlySpan<byte> data, uint capOffset, out CapOffsets found, ref CapChainError error)
    {
        found = default;
        if (capOffset < Type1Info.HeaderSize)
            return Fail(ref error, CapChainCheck.CapOffsetInsideHeader, Type1Info.CapOffsetOffset, capOffset);

        // Locals rather than fields of 'found', so that they stay in registers through the walk.
        int iovaRange = NoCap, nrIovas = 0, migration = NoCap, dmaAvail = NoCap, count = 0;

        uint end = (uint)data.Length;
        int pointer = Type1Info.CapOffsetOffset;
        for (uint at = capOffset; ;)
        {
            if (at > end - CapHeader.Size)
                return Fail(ref error, CapChainCheck.CapOutOfBounds, pointer, at);

            int offset = (int)at;
            ulong header = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(offset, CapHeader.Size));
            uint next = (uint)(header >> (8 * CapHeader.NextOffset));
            if (next != 0 && next <= at)
                return Fail(ref error, CapChainCheck.NextNotForward, offset + CapHeader.NextOffset, next);

            uint extent = (next == 0 || next > end ? end : next) - at;
            if ((ushort)(header >> (8 * CapHeader.VersionOffset)) == Type1Info.CapVersion)
            {
                switch ((CapId)(ushort)header)
                {
                    case CapId.IovaRange:
                        if (!TryCheckIovaRanges(data, offset, extent, out int ranges, ref error))
                            return false;
                        if (iovaRange == NoCap)
                            (iovaRange, nrIovas) = (offset, ranges);
                        break;
                    case CapId.Migration:
                        if (extent < MigrationCapLayout.Size)
                            return Fail(ref error, CapChainCheck.CapTooShort, offset, MigrationCapLayout.Size);
                        migration = migration == NoCap ? offset : migration;
                        break;
                    case CapId.DmaAvail:
                        if (extent < DmaAvailCapLayout.Size)
                            return Fail(ref error, CapChainCheck.CapTooShort, offset, DmaAvailCapLayout.Size);
                        dmaAvail = dmaAvail == NoCap ? offset : dmaAvail;
                        break;
                }
            }

            count++;
            if (next == 0)
            {
                found = new CapOffsets(iovaRange, nrIovas, migration, dmaAvail, count);
                return true;
            }

            pointer = offset + CapHeader.NextOffset;
            at = next;
        }
    }

    /// <summary>The fixed part and every {start, end} pair fit the extent, and no pair is inverted; the pairs are read as u64s in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryCheckIovaRanges(ReadOnlySpan<byte> data, int at, uint extent, out int count, ref CapChainError error)
    {
        count = 0;
        if (extent < IovaRangeCapLayout.RangesOffset)
            return Fail(ref error, CapChainCheck.CapTooShort, at, IovaRangeCapLayout.RangesOffset);
        uint nrIovas = U32(data, at + IovaRangeCapLayout.NrIovasOffset);
        if (IovaRangeCapLayout.SizeFor(nrIovas) > extent)
            return Fail(ref error, CapChainCheck.IovaCountTooLarge, at + IovaRangeCapLayout.NrIovasOffset, nrIovas);

        var pairs = IovaRangeList.Pairs(data, at + IovaRangeCapLayout.RangesOffset, (int)nrIovas);
        for (int i = 0; i < pairs.Length; i++)
        {
            ulong start = LittleEndian(pairs[i].Start);
            if (start > LittleEndian(pairs[i].Last))
                return Fail(ref error, CapChainCheck.IovaRangeInverted, at + IovaRangeCapLayout.RangesOffset + (i * IovaRangeCapLayout.RangeSize), start);
        }

        count = (int)nrIovas;
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool Fail(ref CapChainError error, CapChainCheck check, int offset, ulong value)
    {
        error = new CapChainError(check, offset, value);
        return false;
    }

    /// <summary>A u64 read in place from little-endian bytes (a no-op on little-endian hosts).</summary>
    internal static ulong LittleEndian(ulong word) => BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word);

    internal static ushort U16(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadUInt16LittleEndian(data[at..]);

    internal static uint U32(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadUInt32LittleEndian(data[at..]);

    internal static ulong U64(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadUInt64LittleEndian(data[at..]);
}

/// <summary>Where the first capability of each known id sits (-1: none), that IOVA_RANGE's nr_iovas, and how many capabilities there are.</summary>
internal readonly record struct CapOffsets(int IovaRange, int NrIovas, int Migration, int DmaAvail, int Count);
