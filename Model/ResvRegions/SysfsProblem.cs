using System.Text;

namespace Harness.Model;

/// <summary>
/// What is wrong with a <c>reserved_regions</c> line: the check that failed and its wording,
/// made here for every parser so that their errors compare equal, offsets and words alike.
/// </summary>
public readonly record struct SysfsProblem(SysfsCheck Check, string Text)
{
    public const int HexDigits = 16;

    public static SysfsProblem EmptyLine { get; } = new(SysfsCheck.EmptyLine, "empty line");

    public static SysfsProblem UnexpectedByte(byte value) => value == '\r'
        ? new(SysfsCheck.CarriageReturn, "carriage return (DOS line ending) is not sysfs format")
        : new(SysfsCheck.UnexpectedByte, $"unexpected byte 0x{value:x2}");

    public static SysfsProblem HexPrefix(string field) => new(SysfsCheck.HexPrefix, $"{field}: expected 0x and {HexDigits} hex digits");

    public static SysfsProblem NotHexDigit(string field, byte value) => new(SysfsCheck.NotHexDigit, $"{field}: '{(char)value}' is not a hex digit");

    public static SysfsProblem TooFewDigits(string field, int digits) => new(SysfsCheck.TooFewDigits, $"{field}: {digits} hex digits where {HexDigits} are expected");

    public static SysfsProblem NoSpaceAfter(string field) => new(SysfsCheck.NoSpaceAfter, $"expected one space after {field}");

    public static SysfsProblem UnknownType(ReadOnlySpan<byte> name) => new(
        SysfsCheck.UnknownType,
        $"unknown region type '{Encoding.ASCII.GetString(name)}' (expected direct, direct-relaxable, reserved or msi)");

    public static SysfsProblem StartAboveLast(ulong start, ulong last) => new(SysfsCheck.StartAboveLast, $"start 0x{start:x16} is above last 0x{last:x16}");

    public override string ToString() => Text;
}
