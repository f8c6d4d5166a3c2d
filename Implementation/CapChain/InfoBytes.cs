using System.Buffers.Binary;

namespace Harness.Implementation;

/// <summary>Little-endian reads of a GET_INFO buffer: the ABI's byte order whatever the host's.</summary>
internal static class InfoBytes
{
    /// <summary>A u64 read in place from little-endian bytes (a no-op on little-endian hosts).</summary>
    internal static ulong LittleEndian(ulong word) => BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word);

    internal static ushort U16(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadUInt16LittleEndian(data[at..]);

    internal static uint U32(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadUInt32LittleEndian(data[at..]);

    internal static ulong U64(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadUInt64LittleEndian(data[at..]);
}
