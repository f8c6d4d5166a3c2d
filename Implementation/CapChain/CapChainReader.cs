using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Harness.Model;
using static Harness.Implementation.InfoBytes;

namespace Harness.Implementation;

/// <summary>
/// The hardened GET_INFO parser: one bounded pass over <c>min(argsz, length)</c> bytes that
/// validates the whole chain and remembers where the IOVA ranges are; no allocation. A chain
/// a kernel wrote is recognised by <see cref="KernelChainPrediction"/> without walking it.
/// Every <c>next</c> must point strictly forward, so the walk cannot loop, and each
/// capability is bounded by its <c>next</c>, so the work is linear in the length. Any input
/// either yields an <see cref="InfoView"/> or one <see cref="CapChainError"/>; nothing throws.
/// Every read goes through a bounds-checked span.
/// </summary>
public static class CapChainReader
{
    /// <summary>The low u32 of a version-1 IOVA_RANGE header (id in bits 0–15, version in bits 16–31); MIGRATION and DMA_AVAIL follow it.</summary>
    private const uint FirstKnownCap = CapHeader.Version1 | (uint)CapId.IovaRange;

    /// <summary>The fixed size of each known capability, indexed by id - 1: IOVA_RANGE without its ranges, MIGRATION, DMA_AVAIL.</summary>
    private static ReadOnlySpan<byte> KnownCapSize => [IovaRangeCapLayout.RangesOffset, MigrationCapLayout.Size, DmaAvailCapLayout.Size];

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
        uint capOffset = CapOffset(data);
        int firstIovaRange = KernelChainPrediction.IovaRangeOf(data, capOffset);
        if (firstIovaRange >= 0)
        {
            StructuralEvents.Note(StructuralEvent.ParserChainPredicted);
            if (!TryCheckIovaRanges(data, firstIovaRange, (uint)(data.Length - firstIovaRange), ref error))
                return false;
        }
        else if (capOffset != 0)
        {
            StructuralEvents.Note(StructuralEvent.ParserChainWalked);
            if (!TryWalk(data, capOffset, out firstIovaRange, ref error))
                return false;
        }

        info = new InfoView(data, buffer.Length, firstIovaRange);
        return true;
    }

    /// <summary>cap_offset, or 0 when <c>min(argsz, length)</c> ends before it (the v3.x layout).</summary>
    internal static uint CapOffset(ReadOnlySpan<byte> data) => data.Length >= Type1Info.CapOffsetEnd ? U32(data, Type1Info.CapOffsetOffset) : 0;

    /// <summary>
    /// Validates every capability; remembers only where the first IOVA_RANGE is (-1: none), the
    /// one readers want at once (the view finds the others on demand). Few live values, so the
    /// JIT keeps them all in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryWalk(ReadOnlySpan<byte> data, uint capOffset, out int firstIovaRange, ref CapChainError error)
    {
        firstIovaRange = -1;
        if (capOffset < Type1Info.HeaderSize)
            return Fail(ref error, CapChainCheck.CapOffsetInsideHeader, Type1Info.CapOffsetOffset, capOffset);

        uint end = (uint)data.Length;
        int pointer = Type1Info.CapOffsetOffset;
        for (uint at = capOffset; ;)
        {
            if (at > end - CapHeader.Size)
                return Fail(ref error, CapChainCheck.CapOutOfBounds, pointer, at);

            int offset = (int)at;
            ulong header = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(offset, CapHeader.Size));
            uint next = (uint)(header >> (8 * CapHeader.NextOffset));
            // Unsigned wrap: next - 1 < x holds for 1 <= next <= x, never for next == 0 (the end).
            if (next - 1 < at)
                return Fail(ref error, CapChainCheck.NextNotForward, offset + CapHeader.NextOffset, next);

            uint extent = (next - 1 < end ? next : end) - at;
            uint known = (uint)header - FirstKnownCap;
            if (known < (uint)KnownCapSize.Length)
            {
                uint size = KnownCapSize[(int)known];
                if (extent < size)
                    return Fail(ref error, CapChainCheck.CapTooShort, offset, size);
                if (known == 0)
                {
                    if (!TryCheckIovaRanges(data, offset, extent, ref error))
                        return false;
                    if (firstIovaRange < 0)
                        firstIovaRange = offset;
                }
            }

            if (next == 0)
                return true;
            pointer = offset + CapHeader.NextOffset;
            at = next;
        }
    }

    /// <summary>Every {start, end} pair fits the extent (the fixed part was checked) and none is inverted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryCheckIovaRanges(ReadOnlySpan<byte> data, int at, uint extent, ref CapChainError error)
    {
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

        return true;
    }

    /// <summary>Inlined: a call inside the walk would make the JIT spill the walk's registers around it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Fail(ref CapChainError error, CapChainCheck check, int offset, ulong value)
    {
        error = new CapChainError(check, offset, value);
        return false;
    }
}
