using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Harness.Implementation;
using Harness.Model;

namespace Harness.Properties;

/// <summary>One GET_INFO answer to write: a layout, the container's values, and the caller's argsz and buffer length.</summary>
public sealed record WriterCase(InfoLayout Layout, IovaRange[] Ranges, ulong Pgsizes, uint DmaAvail, uint Argsz, int Length)
{
    private const byte Fill = 0xAA;

    public static Gen<WriterCase> Generator { get; } =
        from layout in Gen.Elements(InfoLayout.Type1V66, InfoLayout.Type1PreV66, InfoLayout.IommufdCompat)
        from ranges in Gen.Choose(0, 8).SelectMany(n => Gen.ArrayOf(GroupGen.Range(Vfio.PageSize), n))
        from pgsizes in Gen.Elements(0x40201000UL, 0x1000UL, 0x10000UL | 0x20000000UL, 0UL)
        from avail in Gen.Elements(0u, 1u, 65535u, uint.MaxValue)
        from argsz in Gen.Frequency([(3, Gen.Constant(ChainCase.Needed(layout, ranges.Length))), (3, Gen.Choose(0, (int)ChainCase.Needed(layout, ranges.Length) + 16).Select(v => (uint)v))])
        from extra in Gen.Frequency([(4, Gen.Elements(0, 8, 32)), (1, Gen.Elements(-1, -16))])
        select new WriterCase(layout, ranges, pgsizes, avail, argsz, Math.Max(0, (int)argsz + extra));

    public static IEnumerable<WriterCase> Shrink(WriterCase c)
    {
        for (int i = 0; i < c.Ranges.Length; i++)
            yield return c with { Ranges = [.. c.Ranges.Take(i), .. c.Ranges.Skip(i + 1)] };
        if (c.Layout != InfoLayout.Type1V66)
            yield return c with { Layout = InfoLayout.Type1V66 };
        if (c.Length > c.Argsz)
            yield return c with { Length = (int)c.Argsz };
    }

    /// <summary>
    /// Both writers answer with the same errno and the same bytes (0xAA-filled buffers, so
    /// untouched bytes show); nothing at or past argsz changes; and the shipped parser reads the
    /// answer back: the full chain when argsz sufficed, a truncation asking for the right argsz when not.
    /// </summary>
    public void Check(IInfoWriter writer)
    {
        var expected = Buffer();
        var actual = Buffer();
        var modelErrno = new ModelInfoWriter().Write(expected, Layout, Pgsizes, DmaAvail, Ranges);
        var errno = writer.Write(actual, Layout, Pgsizes, DmaAvail, Ranges);
        if (modelErrno != errno || !expected.AsSpan().SequenceEqual(actual))
            throw new Divergence("writers differ", $"{modelErrno} {Convert.ToHexString(expected)}", $"{errno} {Convert.ToHexString(actual)}");
        int untouched = errno == Errno.Ok ? (int)Math.Min(Argsz, (uint)Length) : 0;
        if (!actual.AsSpan(untouched).SequenceEqual(Buffer().AsSpan(untouched)))
            throw new Divergence($"the writer changed bytes from {untouched} on ({errno})");
        if (errno == Errno.Ok)
            CheckReadBack(writer);
    }

    private byte[] Buffer(byte fill = Fill)
    {
        var buffer = new byte[Length];
        Array.Fill(buffer, fill);
        if (Length >= 4)
            BinaryPrimitives.WriteUInt32LittleEndian(buffer, Argsz);
        return buffer;
    }

    /// <summary>As userspace reads it: into a zeroed buffer (with argsz below 20 the kernel leaves cap_offset as the caller had it).</summary>
    private void CheckReadBack(IInfoWriter writer)
    {
        var written = Buffer(fill: 0);
        writer.Write(written, Layout, Pgsizes, DmaAvail, Ranges);
        if (!new FastCapChainParser().TryParse(written, out var info, out var error))
            throw new Divergence($"the shipped parser rejects the shipped writer's answer: {error}");
        uint needed = ChainCase.Needed(Layout, Ranges.Length);
        if (Argsz < needed)
        {
            if (info.Argsz != needed || info.CapOffset != 0)
                throw new Divergence($"a short answer (argsz {Argsz}) must ask for argsz {needed} with cap_offset 0", $"{needed}, 0", $"{info.Argsz}, {info.CapOffset}");
            return;
        }

        var ranges = info.IovaRanges ?? [];
        if (!ranges.SequenceEqual(Ranges) || info.IovaPgsizes != Pgsizes)
            throw new Divergence("read back differs", $"[{string.Join(", ", Ranges)}] 0x{Pgsizes:x}", $"[{string.Join(", ", ranges)}] 0x{info.IovaPgsizes:x}");
        uint avail = Layout == InfoLayout.IommufdCompat ? uint.MaxValue : DmaAvail;
        if (info.DmaAvail != avail)
            throw new Divergence("DMA_AVAIL read back differs", avail.ToString(), info.DmaAvail?.ToString() ?? "none");
    }

    public override string ToString() =>
        $"{Layout} argsz {Argsz} into {Length} bytes, pgsizes 0x{Pgsizes:x}, avail {DmaAvail}, ranges [{string.Join(", ", Ranges.Select(r => r.ToString()))}]";
}
