using Harness.Implementation;
using Harness.Model;

namespace Harness.Mutants;

/// <summary>
/// A "tolerant" reserved_regions reader that drops a carriage return before each newline, as a
/// tool that once read a file copied through a Windows editor might. The kernel never writes
/// one, so accepting it hides a corrupted file; the strict format (docs/SPEC.md §1) rejects it.
/// </summary>
public sealed class ToleratesCarriageReturns : ISysfsParser
{
    private readonly FastSysfsParser parser = new();

    public bool TryParse(ReadOnlySpan<byte> text, out List<ResvRegion> regions, out SysfsError error)
    {
        var cleaned = new List<byte>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (!(text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n'))
                cleaned.Add(text[i]);
        }

        return parser.TryParse(cleaned.ToArray(), out regions, out error);
    }
}
