using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Harness.Model;

namespace Harness.Properties;

/// <summary>What a <see cref="TextMutation"/> does at its offset.</summary>
public enum TextEdit
{
    Replace,
    Insert,
    Delete,
    Truncate,
}

/// <summary>One edit of a text; the offset is taken modulo the text's length, so any edit applies to any text.</summary>
public sealed record TextMutation(TextEdit Edit, int Offset, byte Value)
{
    public byte[] Apply(byte[] text)
    {
        if (text.Length == 0)
            return Edit == TextEdit.Insert ? [Value] : text;
        int at = Offset % text.Length;
        return Edit switch
        {
            TextEdit.Replace => [.. text[..at], Value, .. text[(at + 1)..]],
            TextEdit.Insert => [.. text[..at], Value, .. text[at..]],
            TextEdit.Delete => [.. text[..at], .. text[(at + 1)..]],
            _ => text[..at],
        };
    }

    public override string ToString() => $"{Edit}(@{Offset}, 0x{Value:x2})";
}

/// <summary>A reserved_regions file as the kernel prints it for <see cref="Regions"/>, then edited.</summary>
public sealed record SysfsTextCase(ResvRegion[] Regions, TextMutation[] Mutations)
{
    /// <summary>Bytes a hand-edited or corrupted file might hold where the format is strict.</summary>
    private static readonly byte[] Interesting = [.. " \n\r\t0xgfFAm-"u8, 0x00, 0x7f, 0xff];

    public byte[] Bytes() => Mutations.Aggregate(Encoding.ASCII.GetBytes(SysfsFormat.Format(Regions)), (text, m) => m.Apply(text));

    public static Gen<SysfsTextCase> Generator { get; } =
        from regions in Gen.Choose(0, 5).SelectMany(n => GroupGen.Regions(n))
        from mutations in Gen.Frequency([(2, Gen.Constant(0)), (3, Gen.Choose(1, 3))]).SelectMany(n => Gen.ArrayOf(Mutation, n))
        select new SysfsTextCase([.. regions], mutations);

    private static Gen<TextMutation> Mutation { get; } =
        from edit in Gen.Frequency([(4, Gen.Constant(TextEdit.Replace)), (2, Gen.Constant(TextEdit.Insert)), (2, Gen.Constant(TextEdit.Delete)), (1, Gen.Constant(TextEdit.Truncate))])
        from offset in Gen.Choose(0, 300)
        from value in Gen.Elements(Interesting)
        select new TextMutation(edit, offset, value);

    public static IEnumerable<SysfsTextCase> Shrink(SysfsTextCase c)
    {
        for (int i = 0; i < c.Mutations.Length; i++)
            yield return c with { Mutations = [.. c.Mutations.Take(i), .. c.Mutations.Skip(i + 1)] };
        for (int i = 0; i < c.Regions.Length; i++)
            yield return c with { Regions = [.. c.Regions.Take(i), .. c.Regions.Skip(i + 1)] };
    }

    public override string ToString() => $"[{string.Join(", ", Regions)}] edited {string.Join(", ", Mutations.Select(m => m.ToString()))}";
}
