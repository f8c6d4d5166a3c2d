using System.Buffers.Binary;
using Harness.Implementation;
using Harness.Model;

namespace Harness.Mutants;

/// <summary>
/// docs/SPEC.md §8.11: when the chain did not fit, GET_INFO still set cap_offset to 24, pointing the
/// caller at capabilities that were never copied.
/// </summary>
public sealed class CapOffsetWithoutChain : IInfoWriter
{
    private readonly InfoWriter inner = new();

    public Errno Write(Span<byte> buffer, InfoLayout layout, ulong iovaPgsizes, uint dmaAvail, ReadOnlySpan<IovaRange> iovaRanges)
    {
        uint callerArgsz = buffer.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(buffer) : 0;
        var errno = inner.Write(buffer, layout, iovaPgsizes, dmaAvail, iovaRanges);
        bool shortAnswer = errno == Errno.Ok && BinaryPrimitives.ReadUInt32LittleEndian(buffer) > callerArgsz;
        if (shortAnswer && callerArgsz >= Type1Info.CapOffsetEnd)
            BinaryPrimitives.WriteUInt32LittleEndian(buffer[Type1Info.CapOffsetOffset..], Type1Info.HeaderSize);
        return errno;
    }
}
