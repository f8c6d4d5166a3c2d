using System.Runtime.InteropServices;
using Harness.Model;
using Harness.Native.Isolation;
using Harness.Properties;

namespace Harness.Native;

/// <summary>
/// A native library's GET_INFO parser (native/harness_impl.h's harness_capchain_ops), in this
/// process or in a worker, seen as an <see cref="IInfoSummaryParser"/>: what it reports is checked
/// for shape (a return other than 0 or -EINVAL, more ranges than the buffer holds, an unknown
/// check) before it is compared with the model.
/// </summary>
internal sealed unsafe class NativeCapChainParser(NativeCapChainParser.ParseCall parse) : IInfoSummaryParser
{
    /// <summary>One parse: the return, the fields, the error and the ranges the library wrote.</summary>
    public delegate int ParseCall(ReadOnlySpan<byte> buffer, out NativeAbi.Info info, out NativeAbi.CapChainError error, out NativeAbi.IovaRange[] ranges);

    /// <summary>Every range a buffer of that length can hold, and one more.</summary>
    public static int Capacity(int length) => (length / sizeof(NativeAbi.IovaRange)) + 1;

    public bool TryParse(ReadOnlySpan<byte> buffer, out InfoSummary? info, out CapChainError? error)
    {
        int code = parse(buffer, out var fields, out var why, out var ranges);
        info = null;
        error = null;
        if (code == -(int)Errno.EINVAL)
        {
            if (why.Check > (uint)CapChainCheck.IovaRangeInverted + 1)
                throw new Divergence($"the parser rejects with check {why.Check}, not one of enum harness_capchain_check");
            error = why.Check == 0 ? null : new CapChainError((CapChainCheck)(why.Check - 1), (int)why.Offset, why.Value);
            return false;
        }

        if (code != 0)
            throw new Divergence($"parse returned {code}, neither 0 nor -EINVAL");
        if (fields.HasIovaRanges != 0 && fields.NrIovas > ranges.Length)
            throw new Divergence($"the parser reports {fields.NrIovas} IOVA ranges, more than a {buffer.Length}-byte buffer holds");
        info = new InfoSummary(
            fields.Argsz,
            fields.Flags,
            fields.IovaPgsizes,
            fields.CapOffset,
            fields.HasIovaRanges != 0 ? [.. ranges.Take((int)fields.NrIovas).Select(r => (r.Start, r.End))] : null,
            fields.HasDmaAvail != 0 ? fields.DmaAvail : null,
            fields.HasMigration != 0 ? new MigrationSummary(fields.MigrationFlags, fields.MigrationPgsizeBitmap, fields.MaxDirtyBitmapSize) : null);
        return true;
    }

    /// <summary>In this process, the buffer flush against an unmapped page too (<see cref="GuardedBuffer"/>).</summary>
    public static int InProcess(NativeAbi.CapChainOps ops, ReadOnlySpan<byte> buffer, out NativeAbi.Info info, out NativeAbi.CapChainError error, out NativeAbi.IovaRange[] ranges)
    {
        ranges = new NativeAbi.IovaRange[Capacity(buffer.Length)];
        NativeAbi.Info fields = default;
        NativeAbi.CapChainError why = default;
        int code;
        byte* bytes = GuardedBuffer.Copy(buffer);
        fixed (NativeAbi.IovaRange* room = ranges)
            code = ops.Parse(bytes, (nuint)buffer.Length, &fields, room, (nuint)ranges.Length, &why);
        info = fields;
        error = why;
        return code;
    }

    /// <summary>The worker copies the buffer to the end of a page followed by an unmapped one, so a read past it faults.</summary>
    public static int Isolated(NativeWorker worker, ReadOnlySpan<byte> buffer, out NativeAbi.Info info, out NativeAbi.CapChainError error, out NativeAbi.IovaRange[] ranges)
    {
        var reply = worker.Call(NativeWorker.Op.Parse, 0, (ulong)buffer.Length, payload: buffer);
        info = MemoryMarshal.Read<NativeAbi.Info>(worker.ReadMore(sizeof(NativeAbi.Info)));
        error = MemoryMarshal.Read<NativeAbi.CapChainError>(worker.ReadMore(sizeof(NativeAbi.CapChainError)));
        ranges = [.. MemoryMarshal.Cast<byte, NativeAbi.IovaRange>(worker.ReadMore((int)reply.X * sizeof(NativeAbi.IovaRange)))];
        return (int)reply.Ret;
    }
}
