using System.Text;

namespace Harness.Model;

/// <summary>
/// The reference parser of the sysfs <c>reserved_regions</c> format: every line exactly
/// <c>0x</c> + 16 hex digits, one space, the same again, one space, a type name, and a newline
/// (the newline may be missing at the very end). An empty text is a group with no regions.
/// The first bad line fails the whole text with a <see cref="SysfsError"/>.
/// </summary>
public sealed class ModelSysfsParser : ISysfsParser
{
    public bool TryParse(ReadOnlySpan<byte> text, out List<ResvRegion> regions, out SysfsError error)
    {
        regions = [];
        error = default;
        int line = 0;
        for (int pos = 0; pos < text.Length;)
        {
            line++;
            int newline = text[pos..].IndexOf((byte)'\n');
            int end = newline < 0 ? text.Length : pos + newline;
            if (!TryParseLine(text[pos..end], line, pos, out var region, out error))
                return false;
            regions.Add(region);
            pos = end + 1;
        }

        return true;
    }

    private static bool TryParseLine(ReadOnlySpan<byte> line, int lineNumber, int lineOffset, out ResvRegion region, out SysfsError error)
    {
        region = default;
        error = default;
        SysfsError Fail(int column, SysfsProblem problem) => new(lineNumber, lineOffset + column, problem);

        if (line.IsEmpty)
        {
            error = Fail(0, SysfsProblem.EmptyLine);
            return false;
        }

        int bad = line.IndexOfAnyExceptInRange((byte)' ', (byte)'~');
        if (bad >= 0)
        {
            error = Fail(bad, SysfsProblem.UnexpectedByte(line[bad]));
            return false;
        }

        int column = 0;
        if (!TryReadHex(line, ref column, "start", out ulong start, out SysfsProblem? problem)
            || !TryReadSpace(line, ref column, "start", out problem)
            || !TryReadHex(line, ref column, "last", out ulong last, out problem)
            || !TryReadSpace(line, ref column, "last", out problem))
        {
            error = Fail(column, problem!.Value);
            return false;
        }

        string name = Encoding.ASCII.GetString(line[column..]);
        if (SysfsFormat.TypeFromName(name) is not ResvType type)
        {
            error = Fail(column, SysfsProblem.UnknownType(line[column..]));
            return false;
        }

        if (start > last)
        {
            error = Fail(0, SysfsProblem.StartAboveLast(start, last));
            return false;
        }

        region = new ResvRegion(new IovaRange(start, last), IommuProt.None, type);
        return true;
    }

    private static bool TryReadHex(ReadOnlySpan<byte> line, ref int column, string field, out ulong value, out SysfsProblem? problem)
    {
        value = 0;
        problem = SysfsProblem.HexPrefix(field);
        if (line.Length - column < 2 || line[column] != '0' || line[column + 1] != 'x')
            return false;
        column += 2;
        for (int i = 0; i < SysfsProblem.HexDigits; i++, column++)
        {
            int digit = column < line.Length ? HexValue(line[column]) : -1;
            if (digit < 0)
            {
                problem = column < line.Length && line[column] != ' '
                    ? SysfsProblem.NotHexDigit(field, line[column])
                    : SysfsProblem.TooFewDigits(field, i);
                return false;
            }

            value = (value << 4) | (uint)digit;
        }

        problem = null;
        return true;
    }

    private static bool TryReadSpace(ReadOnlySpan<byte> line, ref int column, string after, out SysfsProblem? problem)
    {
        problem = null;
        if (column < line.Length && line[column] == ' ')
        {
            column++;
            return true;
        }

        problem = SysfsProblem.NoSpaceAfter(after);
        return false;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}
