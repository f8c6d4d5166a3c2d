using System.Text;
using Harness.Model;

namespace Harness.Properties;

/// <summary>
/// A reserved_regions parser held to the model's on one text: the same accept or reject, the
/// same error (line, offset, words), the same regions; and what it accepts formats back into a
/// text it reads the same way, byte for byte when the text was as the kernel prints it.
/// </summary>
public static class SysfsAgreement
{
    private static readonly ISysfsParser Reference = new ModelSysfsParser();

    public static void Check(ISysfsParser parser, ReadOnlySpan<byte> text)
    {
        bool modelOk = Reference.TryParse(text, out var expected, out var modelError);
        bool ok = parser.TryParse(text, out var actual, out var error);
        if (modelOk != ok || (!ok && modelError != error))
            throw new Divergence("parsers disagree", Verdict(modelOk, modelError, expected), Verdict(ok, error, actual));
        if (!ok)
            return;
        if (!expected.SequenceEqual(actual))
            throw new Divergence("parsed regions differ", Describe(expected), Describe(actual));

        byte[] formatted = Encoding.ASCII.GetBytes(SysfsFormat.Format(actual));
        if (!parser.TryParse(formatted, out var again, out var againError))
            throw new Divergence($"the parser rejects the formatted text of what it accepted: {againError}");
        if (!again.SequenceEqual(actual))
            throw new Divergence("format then parse does not give the regions back", Describe(actual), Describe(again));
        if (IsAsTheKernelPrints(text) && !text.SequenceEqual(formatted))
            throw new Divergence("formatting a file as the kernel prints it does not give the same bytes", Encoding.ASCII.GetString(text), Encoding.ASCII.GetString(formatted));
    }

    /// <summary>Lower-case hex and a newline after every line (the type names have no upper case).</summary>
    private static bool IsAsTheKernelPrints(ReadOnlySpan<byte> text) =>
        (text.IsEmpty || text[^1] == '\n') && text.IndexOfAnyInRange((byte)'A', (byte)'Z') < 0;

    private static string Verdict(bool ok, SysfsError error, List<ResvRegion> regions) => ok ? $"accepts {Describe(regions)}" : $"rejects ({error})";

    private static string Describe(List<ResvRegion> regions) => $"[{string.Join(", ", regions)}]";
}
