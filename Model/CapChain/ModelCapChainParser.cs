using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Harness.Model;

/// <summary>
/// The reference parser of a GET_INFO buffer (docs/SPEC.md §3 "Parser"): clarity over speed; the
/// oracle the fast parser is held against. Reads only <c>end = min(argsz, length)</c> bytes.
/// Every <c>next</c> must point strictly forward, so the walk ends after at most
/// <c>end</c> steps; a capability's extent runs to its <c>next</c> (or to <c>end</c>), so the
/// ranges read across the whole chain never exceed the buffer.
/// </summary>
public sealed class ModelCapChainParser : ICapChainParser
{
    public bool TryParse(ReadOnlySpan<byte> buffer, [NotNullWhen(true)] out ParsedInfo? info, out CapChainError error)
    {
        info = null;
        error = default;
        if (buffer.Length < Type1Info.MinArgsz)
        {
            error = new CapChainError(CapChainCheck.BufferTooShort, 0, (ulong)buffer.Length);
            return false;
        }

        uint argsz = U32(buffer, Type1Info.ArgszOffset);
        if (argsz < Type1Info.MinArgsz)
        {
            error = new CapChainError(CapChainCheck.ArgszTooSmall, Type1Info.ArgszOffset, argsz);
            return false;
        }

        var data = buffer[..(int)Math.Min(argsz, (uint)buffer.Length)];
        uint flags = U32(data, Type1Info.FlagsOffset);
        ulong pgsizes = U64(data, Type1Info.PgsizesOffset);
        uint capOffset = data.Length >= Type1Info.CapOffsetEnd ? U32(data, Type1Info.CapOffsetOffset) : 0;

        var caps = new List<InfoCap>();
        if (capOffset != 0 && !TryWalkChain(data, capOffset, caps, out error))
            return false;

        info = new ParsedInfo(buffer.Length, argsz, flags, pgsizes, capOffset, caps);
        return true;
    }

    private static bool TryWalkChain(ReadOnlySpan<byte> data, uint capOffset, List<InfoCap> caps, out CapChainError error)
    {
        error = default;
        if (capOffset < Type1Info.HeaderSize)
        {
            error = new CapChainError(CapChainCheck.CapOffsetInsideHeader, Type1Info.CapOffsetOffset, capOffset);
            return false;
        }

        int pointer = Type1Info.CapOffsetOffset;
        ulong offset = capOffset;
        while (true)
        {
            if (offset + CapHeader.Size > (ulong)data.Length)
            {
                error = new CapChainError(CapChainCheck.CapOutOfBounds, pointer, offset);
                return false;
            }

            int at = (int)offset;
            ushort id = U16(data, at + CapHeader.IdOffset);
            ushort version = U16(data, at + CapHeader.VersionOffset);
            uint next = U32(data, at + CapHeader.NextOffset);
            if (next != 0 && next <= offset)
            {
                error = new CapChainError(CapChainCheck.NextNotForward, at + CapHeader.NextOffset, next);
                return false;
            }

            int extentEnd = next == 0 ? data.Length : (int)Math.Min(next, (uint)data.Length);
            if (!TryReadCap(data[..extentEnd], at, id, version, next, out var cap, out error))
                return false;
            caps.Add(cap);

            if (next == 0)
                return true;
            pointer = at + CapHeader.NextOffset;
            offset = next;
        }
    }

    /// <summary>Reads the capability at <paramref name="at"/>; <paramref name="extent"/> ends where the capability must end.</summary>
    private static bool TryReadCap(ReadOnlySpan<byte> extent, int at, ushort id, ushort version, uint next, out InfoCap cap, out CapChainError error)
    {
        cap = new UnknownInfoCap(at, id, version, next);
        error = default;
        if (version != Type1Info.CapVersion)
            return true;

        int needed = (CapId)id switch
        {
            CapId.IovaRange => IovaRangeCapLayout.RangesOffset,
            CapId.Migration => MigrationCapLayout.Size,
            CapId.DmaAvail => DmaAvailCapLayout.Size,
            _ => 0,
        };
        if (needed == 0)
            return true;
        if (at + needed > extent.Length)
        {
            error = new CapChainError(CapChainCheck.CapTooShort, at, (ulong)needed);
            return false;
        }

        switch ((CapId)id)
        {
            case CapId.Migration:
                cap = new MigrationInfoCap(at, next,
                    U32(extent, at + MigrationCapLayout.FlagsOffset),
                    U64(extent, at + MigrationCapLayout.PgsizeBitmapOffset),
                    U64(extent, at + MigrationCapLayout.MaxDirtyBitmapSizeOffset));
                return true;
            case CapId.DmaAvail:
                cap = new DmaAvailInfoCap(at, next, U32(extent, at + DmaAvailCapLayout.AvailOffset));
                return true;
            default:
                return TryReadIovaRanges(extent, at, next, out cap, out error);
        }
    }

    private static bool TryReadIovaRanges(ReadOnlySpan<byte> extent, int at, uint next, out InfoCap cap, out CapChainError error)
    {
        cap = null!;
        error = default;
        uint nrIovas = U32(extent, at + IovaRangeCapLayout.NrIovasOffset);
        if ((ulong)at + IovaRangeCapLayout.SizeFor(nrIovas) > (ulong)extent.Length)
        {
            error = new CapChainError(CapChainCheck.IovaCountTooLarge, at + IovaRangeCapLayout.NrIovasOffset, nrIovas);
            return false;
        }

        var ranges = new List<IovaRange>();
        for (int i = 0; i < nrIovas; i++)
        {
            int rangeAt = at + IovaRangeCapLayout.RangesOffset + IovaRangeCapLayout.RangeSize * i;
            ulong start = U64(extent, rangeAt);
            ulong end = U64(extent, rangeAt + 8);
            if (start > end)
            {
                error = new CapChainError(CapChainCheck.IovaRangeInverted, rangeAt, start);
                return false;
            }

            ranges.Add(new IovaRange(start, end));
        }

        cap = new IovaRangeInfoCap(at, next, ranges);
        return true;
    }

    private static ushort U16(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadUInt16LittleEndian(data[at..]);

    private static uint U32(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadUInt32LittleEndian(data[at..]);

    private static ulong U64(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadUInt64LittleEndian(data[at..]);
}
