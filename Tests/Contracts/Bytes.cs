using System.Buffers.Binary;

namespace Harness.Tests.Contracts;

/// <summary>A buffer pre-filled with 0xAA (as the iommufd selftest does) and little-endian pokes at literal offsets.</summary>
public sealed class Bytes
{
    public const byte Fill = 0xAA;

    public Bytes(int length) => Array.Fill(Data = new byte[length], Fill);

    public byte[] Data { get; }

    public Bytes U16(int offset, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(Data.AsSpan(offset), value);
        return this;
    }

    public Bytes U32(int offset, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(Data.AsSpan(offset), value);
        return this;
    }

    public Bytes U64(int offset, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(Data.AsSpan(offset), value);
        return this;
    }

    /// <summary>A capability header: id, version, next.</summary>
    public Bytes Cap(int offset, ushort id, ushort version, uint next) => U16(offset, id).U16(offset + 2, version).U32(offset + 4, next);

    public static string Hex(byte[] data) => Convert.ToHexString(data).ToLowerInvariant();
}
