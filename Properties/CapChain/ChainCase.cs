using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Harness.Model;

namespace Harness.Properties;

/// <summary>What a <see cref="ChainMutation"/> does to a buffer.</summary>
public enum MutationKind
{
    /// <summary>XOR the byte at Offset with Value.</summary>
    FlipBits,

    /// <summary>Write Value as a u32 at Offset (a next, cap_offset, nr_iovas or argsz).</summary>
    SetU32,

    /// <summary>Write Value as a u16 at Offset (an id or version).</summary>
    SetU16,

    /// <summary>Cut the buffer to Offset bytes.</summary>
    Truncate,
}

/// <summary>One damage to a buffer; offsets are taken modulo the buffer's length, so any mutation applies to any buffer.</summary>
public sealed record ChainMutation(MutationKind Kind, int Offset, ulong Value)
{
    public byte[] Apply(byte[] bytes)
    {
        if (bytes.Length == 0)
            return bytes;
        int at = Offset % bytes.Length;
        switch (Kind)
        {
            case MutationKind.FlipBits:
                bytes[at] ^= (byte)Value;
                return bytes;
            case MutationKind.SetU32 when at + 4 <= bytes.Length:
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), (uint)Value);
                return bytes;
            case MutationKind.SetU16 when at + 2 <= bytes.Length:
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), (ushort)Value);
                return bytes;
            case MutationKind.Truncate:
                return bytes[..at];
            default:
                return bytes;
        }
    }

    public override string ToString() => $"{Kind}(@{Offset}, 0x{Value:x})";
}

/// <summary>
/// A GET_INFO buffer: what a kernel of <see cref="Layout"/> writes for <see cref="Ranges"/> into a
/// caller's buffer with <see cref="Argsz"/> (and <see cref="Slack"/> bytes more, or fewer), then damaged.
/// </summary>
public sealed record ChainCase(InfoLayout Layout, IovaRange[] Ranges, uint Argsz, int Slack, ChainMutation[] Mutations)
{
    private const ulong Pgsizes = 0x40201000;

    public byte[] Bytes()
    {
        var bytes = new byte[Math.Max(0, (int)Math.Min(Argsz, 1u << 16) + Slack)];
        if (bytes.Length >= 4)
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, Argsz);
        new ModelInfoWriter().Write(bytes, Layout, Pgsizes, 65535, Ranges);
        return Mutations.Aggregate(bytes, (b, m) => m.Apply(b));
    }

    /// <summary>The argsz a kernel of <paramref name="layout"/> asks for, for <paramref name="count"/> ranges.</summary>
    public static uint Needed(InfoLayout layout, int count) => layout switch
    {
        InfoLayout.Type1V66 => count == 0 ? 72u : 88u + (16u * (uint)count),
        InfoLayout.Type1PreV66 => count == 0 ? 68u : 84u + (16u * (uint)count),
        _ => 56u + (16u * (uint)count),
    };

    public static Gen<ChainCase> Generator { get; } =
        from layout in Gen.Elements(InfoLayout.Type1V66, InfoLayout.Type1PreV66, InfoLayout.IommufdCompat)
        from ranges in Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(GroupGen.Range(Vfio.PageSize), n))
        from argsz in ArgszFor(Needed(layout, ranges.Length))
        from slack in Gen.Frequency([(5, Gen.Constant(0)), (2, Gen.Elements(1, 8, 64)), (1, Gen.Elements(-1, -8, -40))])
        from mutations in Gen.Frequency([(3, Gen.Constant(0)), (4, Gen.Choose(1, 3))]).SelectMany(n => Gen.ArrayOf(Mutation(Needed(layout, ranges.Length)), n))
        select new ChainCase(layout, ranges, argsz, slack, mutations);

    private static Gen<uint> ArgszFor(uint needed) => Gen.Frequency(
    [
        (5, Gen.Constant(needed)),
        (2, Gen.Elements(needed - 1, needed + 8, 16u, 20u, 24u, 15u, 0u)),
        (2, Gen.Choose(0, (int)needed + 32).Select(v => (uint)v)),
    ]);

    /// <summary>Damage aimed at the fields a parser trusts: cap_offset, each next, ids, versions, nr_iovas, argsz.</summary>
    private static Gen<ChainMutation> Mutation(uint needed)
    {
        int[] pointerFields = [16, 28, 44, 60, 64, 76];
        int[] countFields = [32, 48, 80, 76];
        var pointer = Gen.Elements(0UL, 1UL, 8UL, 16UL, 23UL, 24UL, 28UL, 40UL, 56UL, 68UL, 72UL, needed - 8, needed, 0xffff_fff8UL, 0xffff_ffffUL);
        return Gen.Frequency(
        [
            (4, from at in Gen.Elements(pointerFields) from value in pointer select new ChainMutation(MutationKind.SetU32, at, value)),
            (2, from at in Gen.Elements(countFields) from value in Gen.Elements(0UL, 1UL, 2UL, 3UL, 0x1000_0000UL, 0xffff_ffffUL) select new ChainMutation(MutationKind.SetU32, at, value)),
            (2, from at in Gen.Elements(24, 26, 40, 42, 56, 58, 68, 70, 72, 74) from value in Gen.Elements(0UL, 1UL, 2UL, 3UL, 4UL, 0xffffUL) select new ChainMutation(MutationKind.SetU16, at, value)),
            (2, from at in Gen.Choose(0, (int)needed) from bits in Gen.Choose(1, 255) select new ChainMutation(MutationKind.FlipBits, at, (ulong)bits)),
            (1, from at in Gen.Choose(0, (int)needed) select new ChainMutation(MutationKind.Truncate, at, 0)),
            (1, from value in Gen.Elements(0UL, 8UL, 15UL, 16UL, 0xffff_ffffUL) select new ChainMutation(MutationKind.SetU32, 0, value)),
        ]);
    }

    public static IEnumerable<ChainCase> Shrink(ChainCase c)
    {
        for (int i = 0; i < c.Mutations.Length; i++)
            yield return c with { Mutations = [.. c.Mutations.Take(i), .. c.Mutations.Skip(i + 1)] };
        for (int i = 0; i < c.Ranges.Length; i++)
            yield return c with { Ranges = [.. c.Ranges.Take(i), .. c.Ranges.Skip(i + 1)] };
        if (c.Slack != 0)
            yield return c with { Slack = 0 };
        if (c.Layout != InfoLayout.Type1V66)
            yield return c with { Layout = InfoLayout.Type1V66 };
        uint needed = Needed(c.Layout, c.Ranges.Length);
        if (c.Argsz != needed)
            yield return c with { Argsz = needed };
    }

    public override string ToString() =>
        $"{Layout} buffer of {Math.Max(0, (int)Math.Min(Argsz, 1u << 16) + Slack)} bytes, argsz {Argsz}, ranges [{string.Join(", ", Ranges.Select(r => r.ToString()))}], damage [{string.Join(", ", Mutations.Select(m => m.ToString()))}]";
}
