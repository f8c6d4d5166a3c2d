using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// Reads a <c>reserved_regions</c> text one region at a time without allocating. A line as the
/// kernel prints it (<c>"0x%016llx 0x%016llx %s\n"</c>) is recognised at fixed columns in one
/// pass; anything else is handed to <see cref="Diagnose"/>, which finds the first problem in
/// the order docs/SPEC.md §1 checks them (a non-printable byte anywhere on the line comes first).
/// </summary>
public ref struct ResvRegionReader(ReadOnlySpan<byte> text)
{
    private const int StartColumn = 2;
    private const int LastColumn = 21;
    private const int NameColumn = 38;

    private readonly ReadOnlySpan<byte> text = text;
    private int position;
    private int line;

    /// <summary>Set once a line has been rejected; reading stops there.</summary>
    public SysfsError? Error { get; private set; }

    /// <summary>The next region; false at the end of the text or at a bad line (see <see cref="Error"/>).</summary>
    public bool TryRead(out ResvRegion region)
    {
        region = default;
        if (position >= text.Length || Error is not null)
            return false;

        line++;
        var rest = text[position..];
        int newline = rest.IndexOf((byte)'\n');
        var current = newline < 0 ? rest : rest[..newline];
        if (TryReadCanonical(current, out ulong start, out ulong last, out var type) && start <= last)
        {
            region = new ResvRegion(new IovaRange(start, last), IommuProt.None, type);
            position += current.Length + 1;
            return true;
        }

        var (column, problem) = Diagnose(current);
        Error = new SysfsError(line, position + column, problem);
        return false;
    }

    private static bool TryReadCanonical(ReadOnlySpan<byte> line, out ulong start, out ulong last, out ResvType type)
    {
        start = last = 0;
        type = default;
        return line.Length > NameColumn
            && line[StartColumn - 1] == 'x' && line[LastColumn - 1] == 'x' && line[0] == '0' && line[LastColumn - 2] == '0'
            && line[LastColumn - 3] == ' ' && line[NameColumn - 1] == ' '
            && TryReadHex16(line.Slice(StartColumn, SysfsProblem.HexDigits), out start)
            && TryReadHex16(line.Slice(LastColumn, SysfsProblem.HexDigits), out last)
            && TryReadType(line[NameColumn..], out type);
    }

    /// <summary>
    /// Exactly 16 hex digits. Written out because ulong.TryParse, even with AllowHexSpecifier
    /// alone, accepts trailing NUL bytes (found by the sysfs fuzz target).
    /// </summary>
    private static bool TryReadHex16(ReadOnlySpan<byte> digits, out ulong value)
    {
        value = 0;
        foreach (byte c in digits)
        {
            uint digit = (uint)(c - '0');
            if (digit > 9)
            {
                digit = (uint)((c | 0x20) - 'a');
                if (digit > 5)
                    return false;
                digit += 10;
            }

            value = (value << 4) | digit;
        }

        return true;
    }

    private static bool TryReadType(ReadOnlySpan<byte> name, out ResvType type)
    {
        type = name switch
        {
            _ when name.SequenceEqual("msi"u8) => ResvType.Msi,
            _ when name.SequenceEqual("reserved"u8) => ResvType.Reserved,
            _ when name.SequenceEqual("direct"u8) => ResvType.Direct,
            _ when name.SequenceEqual("direct-relaxable"u8) => ResvType.DirectRelaxable,
            _ => (ResvType)(-1),
        };
        return type >= 0;
    }

    /// <summary>Where a line that is not canonical first goes wrong, and how.</summary>
    private static (int Column, SysfsProblem Problem) Diagnose(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty)
            return (0, SysfsProblem.EmptyLine);
        int unprintable = line.IndexOfAnyExceptInRange((byte)' ', (byte)'~');
        if (unprintable >= 0)
            return (unprintable, SysfsProblem.UnexpectedByte(line[unprintable]));

        int column = 0;
        if (Field(line, ref column, "start", out ulong start) is { } startProblem)
            return (column, startProblem);
        if (Field(line, ref column, "last", out ulong last) is { } lastProblem)
            return (column, lastProblem);
        return TryReadType(line[column..], out _)
            ? (0, SysfsProblem.StartAboveLast(start, last))
            : (column, SysfsProblem.UnknownType(line[column..]));
    }

    /// <summary>"0x", 16 hex digits and a space at <paramref name="column"/>, which moves past them; else the problem, with <paramref name="column"/> where it is.</summary>
    private static SysfsProblem? Field(ReadOnlySpan<byte> line, ref int column, string field, out ulong value)
    {
        value = 0;
        if (!line[column..].StartsWith("0x"u8))
            return SysfsProblem.HexPrefix(field);
        column += 2;
        int digits = line[column..].IndexOfAnyExcept(HexDigitBytes);
        digits = digits < 0 ? line.Length - column : digits;
        if (digits < SysfsProblem.HexDigits)
        {
            column += digits;
            return column < line.Length && line[column] != ' ' ? SysfsProblem.NotHexDigit(field, line[column]) : SysfsProblem.TooFewDigits(field, digits);
        }

        TryReadHex16(line.Slice(column, SysfsProblem.HexDigits), out value);
        column += SysfsProblem.HexDigits;
        if (column >= line.Length || line[column] != ' ')
            return SysfsProblem.NoSpaceAfter(field);
        column++;
        return null;
    }

    private static ReadOnlySpan<byte> HexDigitBytes => "0123456789abcdefABCDEF"u8;
}
