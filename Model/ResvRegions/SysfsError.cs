namespace Harness.Model;

/// <summary>
/// Why a <c>reserved_regions</c> text was rejected: the 1-based line, the byte offset in the
/// whole text, the check that failed and its wording. The one error type of every sysfs parser;
/// two parsers agree only if all four agree.
/// </summary>
public readonly record struct SysfsError(int Line, int Offset, SysfsCheck Check, string Problem)
{
    public SysfsError(int line, int offset, SysfsProblem problem)
        : this(line, offset, problem.Check, problem.Text)
    {
    }

    public override string ToString() => $"line {Line} (byte {Offset}): {Check}: {Problem}";
}
