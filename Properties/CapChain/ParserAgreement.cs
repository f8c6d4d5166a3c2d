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

    /// <summary>
    /// A parser that reports only a summary, held to the model's: the same accept or reject, the
    /// same error when it names one, the same header and first capability of each kind.
    /// </summary>
    public static void CheckSummary(IInfoSummaryParser parser, ReadOnlySpan<byte> bytes)
    {
        bool modelOk = Reference.TryParse(bytes, out var expected, out var modelError);
        bool ok = parser.TryParse(bytes, out var actual, out var error);
        if (modelOk != ok || (!ok && error is { } named && named != modelError))
            throw new Divergence("parsers disagree", Verdict(modelOk, modelError), ok ? "accepts" : error is { } e ? $"rejects ({e})" : "rejects");
        if (!ok)
            return;
        var want = InfoSummary.Of(expected!);
        if (!want.Equals(actual))
            throw new Divergence("parsed fields differ", want.ToString(), actual!.ToString());
    }

    private static void CheckView(ReadOnlySpan<byte> bytes, ParsedInfo expected)
    {
        if (!CapChainReader.TryParse(bytes, out var view, out var error))
            throw new Divergence($"the view rejects what the adapter accepted: {error}");
        if (view.Argsz != expected.Argsz || view.Flags != expected.Flags || view.IovaPgsizes != expected.IovaPgsizes || view.CapOffset != expected.CapOffset)
            throw new Divergence("the view's header differs", Describe(expected), $"argsz {view.Argsz} flags 0x{view.Flags:x} pgsizes 0x{view.IovaPgsizes:x} cap_offset {view.CapOffset}");
        CheckViewRanges(view, expected.IovaRanges);

        if (view.TryGetDmaAvail(out uint avail) != expected.DmaAvail.HasValue || avail != (expected.DmaAvail ?? 0))
            throw new Divergence("the view's DMA_AVAIL differs");
        bool hasMigration = view.TryGetMigration(out uint flags, out ulong pgsizeBitmap, out ulong maxDirty);
        if (expected.Migration is { } m
                ? !hasMigration || (m.Flags, m.PgsizeBitmap, m.MaxDirtyBitmapSize) != (flags, pgsizeBitmap, maxDirty)
                : hasMigration || (flags, pgsizeBitmap, maxDirty) != (0u, 0ul, 0ul))
            throw new Divergence("the view's MIGRATION differs", expected.Migration?.ToString() ?? "none", hasMigration ? $"flags 0x{flags:x} pgsize_bitmap 0x{pgsizeBitmap:x} max_dirty_bitmap_size 0x{maxDirty:x}" : "none");
        if (view.Truncated != expected.Truncated || view.CapCount != expected.Caps.Count)
            throw new Divergence("the view's truncation or capability count differs");
        int index = 0;
        foreach (var cap in view.Capabilities)
        {
            var want = expected.Caps[index++];
            if ((cap.Offset, cap.Id, cap.Version, cap.Next) != (want.Offset, want.Id, want.Version, want.Next) || cap.IsKnown == want is UnknownInfoCap)
                throw new Divergence($"the view's capability {index - 1} differs", want.ToString(), cap.ToString());
        }
    }

    /// <summary>The ranges read three ways (indexer, enumerator, copy) against the model's.</summary>
    private static void CheckViewRanges(InfoView view, IReadOnlyList<IovaRange>? ranges)
    {
        if (view.HasIovaRanges != ranges is not null || (ranges is not null && view.IovaRanges.Count != ranges.Count))
            throw new Divergence("the view's IOVA_RANGE presence or count differs");
        if (ranges is null)
            return;
        var copied = new IovaRange[ranges.Count + 1];
        if (view.IovaRanges.CopyTo(copied) != ranges.Count || view.IovaRanges.CopyTo(copied.AsSpan(0, ranges.Count / 2)) != ranges.Count / 2)
            throw new Divergence("the view's CopyTo count differs");
        view.IovaRanges.CopyTo(copied);
        int i = 0;
        foreach (var range in view.IovaRanges)
        {
            if (range != ranges[i] || view.IovaRanges[i] != ranges[i] || copied[i] != ranges[i])
                throw new Divergence($"the view's range {i} differs", ranges[i].ToString(), $"{range} / {view.IovaRanges[i]} / {copied[i]}");
            i++;
        }
    }

    private static string Verdict(bool ok, CapChainError error) => ok ? "accepts" : $"rejects ({error})";

    private static string Describe(ParsedInfo info) =>
        $"argsz {info.Argsz} flags 0x{info.Flags:x} pgsizes 0x{info.IovaPgsizes:x} cap_offset {info.CapOffset} caps [{string.Join(", ", info.Caps)}]";
}
