using Harness.Implementation;
using Harness.Model;

namespace Harness.Properties;

/// <summary>
/// A parser held to the model's reference parser on one buffer: the same accept or reject, the
/// same error (check, offset, value), the same parsed fields; for the shipped parser, its
/// zero-allocation view must also say what the full parse says.
/// </summary>
public static class ParserAgreement
{
    private static readonly ICapChainParser Reference = new ModelCapChainParser();

    public static void Check(ICapChainParser parser, ReadOnlySpan<byte> bytes)
    {
        bool modelOk = Reference.TryParse(bytes, out var expected, out var modelError);
        bool ok = parser.TryParse(bytes, out var actual, out var error);
        if (modelOk != ok || (!ok && modelError != error))
            throw new Divergence("parsers disagree", Verdict(modelOk, modelError), Verdict(ok, error));
        if (!ok)
            return;
        if (!expected!.Equals(actual))
            throw new Divergence("parsed fields differ", Describe(expected), Describe(actual!));
        if (parser is FastCapChainParser)
            CheckView(bytes, expected);
    }

    private static void CheckView(ReadOnlySpan<byte> bytes, ParsedInfo expected)
    {
        if (!CapChainReader.TryParse(bytes, out var view, out var error))
            throw new Divergence($"the view rejects what the adapter accepted: {error}");
        var ranges = expected.IovaRanges;
        if (view.HasIovaRanges != ranges is not null || (ranges is not null && view.IovaRanges.Count != ranges.Count))
            throw new Divergence("the view's IOVA_RANGE presence or count differs");
        for (int i = 0; ranges is not null && i < ranges.Count; i++)
        {
            if (view.IovaRanges[i] != ranges[i])
                throw new Divergence($"the view's range {i} differs", ranges[i].ToString(), view.IovaRanges[i].ToString());
        }

        if (view.TryGetDmaAvail(out uint avail) != expected.DmaAvail.HasValue || (expected.DmaAvail is uint a && a != avail))
            throw new Divergence("the view's DMA_AVAIL differs");
        if (view.Truncated != expected.Truncated || view.CapCount != expected.Caps.Count)
            throw new Divergence("the view's truncation or capability count differs");
    }

    private static string Verdict(bool ok, CapChainError error) => ok ? "accepts" : $"rejects ({error})";

    private static string Describe(ParsedInfo info) =>
        $"argsz {info.Argsz} flags 0x{info.Flags:x} pgsizes 0x{info.IovaPgsizes:x} cap_offset {info.CapOffset} caps [{string.Join(", ", info.Caps)}]";
}
