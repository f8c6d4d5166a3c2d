using System.Runtime.InteropServices;
using Harness.Model;

namespace Harness.Implementation;

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
        new(Pairs(data, cap + IovaRangeCapLayout.RangesOffset, (int)InfoBytes.U32(data, cap + IovaRangeCapLayout.NrIovasOffset)));

    private static IovaRange FromLittleEndian(IovaRange pair) =>
        BitConverter.IsLittleEndian ? pair : new(InfoBytes.LittleEndian(pair.Start), InfoBytes.LittleEndian(pair.Last));

    public ref struct Enumerator
    {
        private ReadOnlySpan<IovaRange>.Enumerator inner;

        internal Enumerator(ReadOnlySpan<IovaRange>.Enumerator inner) => this.inner = inner;

        public readonly IovaRange Current => FromLittleEndian(inner.Current);

        public bool MoveNext() => inner.MoveNext();
    }
}
