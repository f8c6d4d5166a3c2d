using System.Runtime.InteropServices;
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

    public uint Argsz => CapChainReader.U32(data, Type1Info.ArgszOffset);

    public uint CapOffset => CapChainReader.CapOffset(data);

    public uint Flags => CapChainReader.U32(data, Type1Info.FlagsOffset);

    public ulong IovaPgsizes => CapChainReader.U64(data, Type1Info.PgsizesOffset);

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
        avail = at >= 0 ? CapChainReader.U32(data, at + DmaAvailCapLayout.AvailOffset) : 0;
        return at >= 0;
    }

    public bool TryGetMigration(out uint flags, out ulong pgsizeBitmap, out ulong maxDirtyBitmapSize)
    {
        int at = First(CapId.Migration);
        (flags, pgsizeBitmap, maxDirtyBitmapSize) = at < 0 ? (0u, 0ul, 0ul) : (
            CapChainReader.U32(data, at + MigrationCapLayout.FlagsOffset),
            CapChainReader.U64(data, at + MigrationCapLayout.PgsizeBitmapOffset),
            CapChainReader.U64(data, at + MigrationCapLayout.MaxDirtyBitmapSizeOffset));
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

/// <summary>
/// The ranges of a validated IOVA_RANGE capability, read in place: the {start, end} u64 pairs are
/// reinterpreted as <see cref="IovaRange"/>s (two u64s, Start first), bypassing its constructor's
/// check; they hold <c>Start &lt;= Last</c> because the reader rejected every inverted pair.
/// On big-endian hosts each pair is byte-swapped as it is read.
/// </summary>
public readonly ref struct IovaRangeList
{
    private readonly ReadOnlySpan<IovaRange> pairs;

    internal IovaRangeList(ReadOnlySpan<IovaRange> pairs) => this.pairs = pairs;

    public int Count => pairs.Length;

    public IovaRange this[int index] => FromLittleEndian(pairs[index]);

    /// <summary>Copies the ranges into <paramref name="destination"/>; returns how many.</summary>
    public int CopyTo(Span<IovaRange> destination)
    {
        int count = Math.Min(Count, destination.Length);
        for (int i = 0; i < count; i++)
            destination[i] = this[i];
        return count;
    }

    public Enumerator GetEnumerator() => new(pairs.GetEnumerator());

    /// <summary><paramref name="count"/> raw pairs at <paramref name="at"/>: the reader validates them, everyone else reads validated ones.</summary>
    internal static ReadOnlySpan<IovaRange> Pairs(ReadOnlySpan<byte> data, int at, int count) =>
        MemoryMarshal.Cast<byte, IovaRange>(data.Slice(at, count * IovaRangeCapLayout.RangeSize));

    /// <summary>The ranges of the validated IOVA_RANGE capability at <paramref name="cap"/>.</summary>
    internal static IovaRangeList OfCap(ReadOnlySpan<byte> data, int cap) =>
        new(Pairs(data, cap + IovaRangeCapLayout.RangesOffset, (int)CapChainReader.U32(data, cap + IovaRangeCapLayout.NrIovasOffset)));

    private static IovaRange FromLittleEndian(IovaRange pair) =>
        BitConverter.IsLittleEndian ? pair : new(CapChainReader.LittleEndian(pair.Start), CapChainReader.LittleEndian(pair.Last));

    public ref struct Enumerator
    {
        private ReadOnlySpan<IovaRange>.Enumerator inner;

        internal Enumerator(ReadOnlySpan<IovaRange>.Enumerator inner) => this.inner = inner;

        public readonly IovaRange Current => FromLittleEndian(inner.Current);

        public bool MoveNext() => inner.MoveNext();
    }
}

/// <summary>One capability header of a validated chain.</summary>
public readonly record struct CapRef(int Offset, ushort Id, ushort Version, uint Next)
{
    public bool IsKnown => Version == Type1Info.CapVersion && Id is >= (ushort)CapId.IovaRange and <= (ushort)CapId.DmaAvail;
}

/// <summary>Walks a validated chain's headers; the chain was checked, so this cannot fail or loop.</summary>
public ref struct CapEnumerator
{
    private readonly ReadOnlySpan<byte> data;
    private uint next;

    internal CapEnumerator(ReadOnlySpan<byte> data, uint first)
    {
        this.data = data;
        next = first;
    }

    public CapRef Current { get; private set; }

    public readonly CapEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (next == 0)
            return false;
        int at = (int)next;
        next = CapChainReader.U32(data, at + CapHeader.NextOffset);
        Current = new CapRef(at, CapChainReader.U16(data, at + CapHeader.IdOffset), CapChainReader.U16(data, at + CapHeader.VersionOffset), next);
        return true;
    }
}
