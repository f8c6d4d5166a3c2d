namespace Harness.Model;

/// <summary>
/// Why a <c>reserved_regions</c> text was rejected: the 1-based line, the byte offset in the
/// whole text, and what is wrong there. The one error type of the sysfs parser.
/// </summary>
public readonly record struct SysfsError(int Line, int Offset, string Problem)
{
    public override string ToString() => $"line {Line} (byte {Offset}): {Problem}";
}
