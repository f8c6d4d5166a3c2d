using System.Buffers.Binary;
using Harness.Properties;

namespace Harness.Fuzz;

/// <summary>
/// Eight input bytes that become one call (or one setup). Every field is read from its own byte,
/// so a mutated byte changes one argument of one call, and an arithmetic mutation nudges a value
/// by a unit: how a coverage-guided fuzzer walks an off-by-one into view.
/// </summary>
public readonly struct OpRecord(ulong bits)
{
    public const int Width = 8;

    public static OpRecord From(ReadOnlySpan<byte> bytes)
    {
        Span<byte> padded = stackalloc byte[Width];
        bytes[..Math.Min(bytes.Length, Width)].CopyTo(padded);
        return new OpRecord(BinaryPrimitives.ReadUInt64LittleEndian(padded));
    }

    public byte this[int index] => (byte)(bits >> (8 * index));

    /// <summary>Byte 0 chooses which of <paramref name="kinds"/> calls this is.</summary>
    public int Kind(int kinds) => this[0] % kinds;

    public T Pick<T>(int index, IReadOnlyList<T> options) => options[this[index] % options.Count];

    /// <summary><paramref name="anchor"/> moved by the signed byte at <paramref name="index"/> times <paramref name="unit"/>, wrapping.</summary>
    public ulong Near(int index, ulong anchor, ulong unit) => unchecked(anchor + (ulong)((sbyte)this[index] * (long)unit));

    /// <summary>One of the edges where the historical bugs were (0, 2^32, 2^64 - 1, ...), nudged by the next byte.</summary>
    public ulong Landmark(int index) => Near(index + 1, Pick(index, Edges.Landmarks), 1);

    /// <summary>Bytes <paramref name="index"/> and <paramref name="index"/> + 1, little-endian.</summary>
    public ushort U16(int index) => (ushort)(this[index] | (this[index + 1] << 8));

    public override string ToString() => $"{bits:x16}";
}
