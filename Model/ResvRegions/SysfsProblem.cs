using System.Text;

namespace Harness.Model;

/// <summary>
/// The wording of every way a <c>reserved_regions</c> line can be wrong, shared by all parsers
/// so that their errors compare equal, offsets and words alike.
/// </summary>
public static class SysfsProblem
{
    public const int HexDigits = 16;

    public const string EmptyLine = "empty line";

    public const string CarriageReturn = "carriage return (DOS line ending) is not sysfs format";

    public static string UnexpectedByte(byte value) => value == '\r' ? CarriageReturn : $"unexpected byte 0x{value:x2}";

    public static string HexPrefix(string field) => $"{field}: expected 0x and {HexDigits} hex digits";

    public static string NotHexDigit(string field, byte value) => $"{field}: '{(char)value}' is not a hex digit";

    public static string TooFewDigits(string field, int digits) => $"{field}: {digits} hex digits where {HexDigits} are expected";

    public static string NoSpaceAfter(string field) => $"expected one space after {field}";

    public static string UnknownType(ReadOnlySpan<byte> name) =>
        $"unknown region type '{Encoding.ASCII.GetString(name)}' (expected direct, direct-relaxable, reserved or msi)";

    public static string StartAboveLast(ulong start, ulong last) => $"start 0x{start:x16} is above last 0x{last:x16}";
}
