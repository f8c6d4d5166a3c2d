using System.Buffers.Binary;
using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// The hardened GET_INFO parser: one bounded pass over <c>min(argsz, length)</c> bytes that
/// validates the whole chain and remembers where the known capabilities are; no allocation.
/// Every <c>next</c> must point strictly forward, so the walk cannot loop, and each
/// capability is bounded by its <c>next</c>, so the work is linear in the length. Any input
/// either yields an <see cref="InfoView"/> or one <see cref="CapChainError"/>; nothing throws.
/// </summary>
public static class CapChainReader
{
    private const int NoCap = -1;

    public static bool TryParse(ReadOnlySpan<byte> buffer, out InfoView info, out CapChainError error)
    {
        info = default;
        error = default;
        if (buffer.Length < Type1Info.MinArgsz)
        {
            error = new CapChainError(CapChainCheck.BufferTooShort, 0, (ulong)buffer.Length);
            return false;
        }

        uint argsz = BinaryPrimitives.ReadUInt32LittleEndian(buffer);
        if (argsz < Type1Info.MinArgsz)
        {
            error = new CapChainError(CapChainCheck.ArgszTooSmall, Type1Info.ArgszOffset, argsz);
            return false;
        }

        var data = argsz < (uint)buffer.Length ? buffer[..(int)argsz] : buffer;
        uint capOffset = data.Length >= Type1Info.CapOffsetEnd ? U32(data, Type1Info.CapOffsetOffset) : 0;
        var found = new CapOffsets(NoCap, NoCap, NoCap, 0);
        if (capOffset != 0 && !TryWalk(data, capOffset, ref found, out error))
            return false;

        info = new InfoView(data, buffer.Length, argsz, capOffset, found);
        return true;
    }

    private static bool TryWalk(ReadOnlySpan<byte> data, uint capOffset, ref CapOffsets found, out CapChainError error)
    {
        error = default;
        if (capOffset < Type1Info.HeaderSize)
        {
            error = new CapChainError(CapChainCheck.CapOffsetInsideHeader, Type1Info.CapOffsetOffset, capOffset);
            return false;
        }

        uint end = (uint)data.Length;
        int pointer = Type1Info.CapOffsetOffset;
        for (uint at = capOffset; ;)
        {
            if (at > end - CapHeader.Size)
            {
                error = new CapChainError(CapChainCheck.CapOutOfBounds, pointer, at);
                return false;
            }

            int offset = (int)at;
            uint next = U32(data, offset + CapHeader.NextOffset);
            if (next != 0 && next <= at)
            {
                error = new CapChainError(CapChainCheck.NextNotForward, offset + CapHeader.NextOffset, next);
                return false;
            }

            uint extent = (next == 0 || next > end ? end : next) - at;
            if (U16(data, offset + CapHeader.VersionOffset) == Type1Info.CapVersion
                && !TryCheckKnown(data, offset, extent, (CapId)U16(data, offset), ref found, out error))
                return false;

            found.Count++;
            if (next == 0)
                return true;
            pointer = offset + CapHeader.NextOffset;
            at = next;
        }
    }

    /// <summary>Checks a version-1 capability of a known id against its extent; unknown ids pass untouched.</summary>
    private static bool TryCheckKnown(ReadOnlySpan<byte> data, int at, uint extent, CapId id, ref CapOffsets found, out CapChainError error)
    {
        error = default;
        switch (id)
        {
            case CapId.IovaRange:
                if (!Fits(at, extent, IovaRangeCapLayout.RangesOffset, ref error))
                    return false;
                uint nrIovas = U32(data, at + IovaRangeCapLayout.NrIovasOffset);
                if (IovaRangeCapLayout.SizeFor(nrIovas) > extent)
                {
                    error = new CapChainError(CapChainCheck.IovaCountTooLarge, at + IovaRangeCapLayout.NrIovasOffset, nrIovas);
                    return false;
                }

                var ranges = data.Slice(at + IovaRangeCapLayout.RangesOffset, (int)nrIovas * IovaRangeCapLayout.RangeSize);
                for (int i = 0; i < ranges.Length; i += IovaRangeCapLayout.RangeSize)
                {
                    ulong start = BinaryPrimitives.ReadUInt64LittleEndian(ranges[i..]);
                    if (start > BinaryPrimitives.ReadUInt64LittleEndian(ranges[(i + 8)..]))
                    {
                        error = new CapChainError(CapChainCheck.IovaRangeInverted, at + IovaRangeCapLayout.RangesOffset + i, start);
                        return false;
                    }
                }

                found.IovaRange = found.IovaRange == NoCap ? at : found.IovaRange;
                return true;
            case CapId.Migration:
                if (!Fits(at, extent, MigrationCapLayout.Size, ref error))
                    return false;
                found.Migration = found.Migration == NoCap ? at : found.Migration;
                return true;
            case CapId.DmaAvail:
                if (!Fits(at, extent, DmaAvailCapLayout.Size, ref error))
                    return false;
                found.DmaAvail = found.DmaAvail == NoCap ? at : found.DmaAvail;
                return true;
            default:
                return true;
        }
    }

    private static bool Fits(int at, uint extent, int needed, ref CapChainError error)
    {
        if (extent >= (uint)needed)
            return true;
        error = new CapChainError(CapChainCheck.CapTooShort, at, (ulong)needed);
        return false;
    }

    internal static ushort U16(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadUInt16LittleEndian(data[at..]);

    internal static uint U32(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadUInt32LittleEndian(data[at..]);

    internal static ulong U64(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadUInt64LittleEndian(data[at..]);
}

/// <summary>Where the first capability of each known id sits (-1: none), and how many capabilities there are.</summary>
internal record struct CapOffsets(int IovaRange, int Migration, int DmaAvail, int Count);
