using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Harness.Implementation;
using Harness.Model;

namespace Harness.Mutants;

/// <summary>A parser that has spun through more capability headers than the buffer could hold: in a VMM, a hang.</summary>
public sealed class ParserHangException(string message) : Exception(message);

/// <summary>
/// docs/SPEC.md §8.12, QEMU's walk: <c>for (hdr = buf + cap_offset; hdr != buf; hdr = buf + hdr->next)</c>,
/// no bound and no cycle check. It locates the capabilities that way before the real parse, so a
/// backward <c>next</c> spins (stopped here after as many steps as the buffer has bytes) and an
/// out-of-range one reads outside the buffer.
/// </summary>
public sealed class QemuStyleWalk : ICapChainParser
{
    private readonly FastCapChainParser parser = new();

    public bool TryParse(ReadOnlySpan<byte> buffer, [NotNullWhen(true)] out ParsedInfo? info, out CapChainError error)
    {
        if (buffer.Length >= Type1Info.CapOffsetEnd)
        {
            int steps = 0;
            for (uint at = BinaryPrimitives.ReadUInt32LittleEndian(buffer[Type1Info.CapOffsetOffset..]); at != 0;
                 at = BinaryPrimitives.ReadUInt32LittleEndian(buffer[(int)(at + CapHeader.NextOffset)..]))
            {
                if (++steps > buffer.Length)
                    throw new ParserHangException($"still walking the capability chain after {steps} headers");
            }
        }

        return parser.TryParse(buffer, out info, out error);
    }
}

/// <summary>
/// docs/SPEC.md §8.12, the rust-vmm overflow: <c>16 + nr_iovas * 16</c> computed in 32 bits wraps, the
/// bounds check passes, and the range loop reads past the capability and the buffer.
/// </summary>
public sealed class IovaCountOverflow : ICapChainParser
{
    private readonly FastCapChainParser parser = new();

    public bool TryParse(ReadOnlySpan<byte> buffer, [NotNullWhen(true)] out ParsedInfo? info, out CapChainError error)
    {
        if (!CapChainReader.TryParse(buffer, out _, out _) && buffer.Length >= Type1Info.HeaderSize)
            ReadIovaRangesUnchecked(buffer);
        return parser.TryParse(buffer, out info, out error);
    }

    private static void ReadIovaRangesUnchecked(ReadOnlySpan<byte> buffer)
    {
        uint at = BinaryPrimitives.ReadUInt32LittleEndian(buffer[Type1Info.CapOffsetOffset..]);
        for (int steps = 0; at >= Type1Info.HeaderSize && at + IovaRangeCapLayout.RangesOffset <= buffer.Length && steps < buffer.Length; steps++)
        {
            uint next = BinaryPrimitives.ReadUInt32LittleEndian(buffer[(int)(at + CapHeader.NextOffset)..]);
            if (BinaryPrimitives.ReadUInt16LittleEndian(buffer[(int)at..]) == (ushort)CapId.IovaRange)
            {
                uint nr = BinaryPrimitives.ReadUInt32LittleEndian(buffer[(int)(at + IovaRangeCapLayout.NrIovasOffset)..]);
                uint bytes = unchecked(IovaRangeCapLayout.RangesOffset + (nr * IovaRangeCapLayout.RangeSize));
                if (at + bytes <= buffer.Length)
                {
                    for (uint i = 0; i < nr; i++)
                        _ = BinaryPrimitives.ReadUInt64LittleEndian(buffer[(int)(at + IovaRangeCapLayout.RangesOffset + (i * IovaRangeCapLayout.RangeSize))..]);
                }
            }

            if (next <= at)
                return;
            at = next;
        }
    }
}

/// <summary>docs/SPEC.md §8.12: the walk was bounded by the buffer's length, not by argsz, so bytes past argsz were read as capabilities.</summary>
public sealed class ReadsPastArgsz : ICapChainParser
{
    private readonly FastCapChainParser parser = new();

    public bool TryParse(ReadOnlySpan<byte> buffer, [NotNullWhen(true)] out ParsedInfo? info, out CapChainError error)
    {
        if (buffer.Length < Type1Info.MinArgsz)
            return parser.TryParse(buffer, out info, out error);
        uint argsz = BinaryPrimitives.ReadUInt32LittleEndian(buffer);
        var widened = buffer.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(widened, Math.Max(argsz, (uint)buffer.Length));
        if (!parser.TryParse(widened, out info, out error))
            return false;
        info = info with { Argsz = argsz };
        return true;
    }
}
