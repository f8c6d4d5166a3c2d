using Harness.Implementation;
using Harness.Model;

namespace Harness.Fuzz;

/// <summary>
/// <c>capchain</c>: a GET_INFO buffer through the hardened parser and the model's reference parser.
/// They must agree on accept or reject, on the exact error (check, offset, value), and on every
/// parsed field; the zero-allocation view must report the same ranges as the full parse.
/// </summary>
public sealed class CapChainTarget(ICapChainParser fast) : IFuzzTarget
{
    private readonly ICapChainParser model = new ModelCapChainParser();

    public CapChainTarget()
        : this(new FastCapChainParser())
    {
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        bool modelOk = model.TryParse(input, out var expected, out var modelError);
        bool fastOk = fast.TryParse(input, out var actual, out var fastError);
        if (modelOk != fastOk)
            throw new FuzzFinding($"model {Verdict(modelOk, modelError)} but the fast parser {Verdict(fastOk, fastError)}");
        if (!modelOk)
        {
            if (modelError != fastError)
                throw new FuzzFinding($"model rejects with {modelError} but the fast parser with {fastError}");
            return;
        }

        if (!expected!.Equals(actual))
            throw new FuzzFinding($"parsers disagree: model {Describe(expected)}; fast {Describe(actual!)}");
        if (fast is FastCapChainParser)
            CheckView(input, expected);
    }

    /// <summary>The zero-allocation accessors must say what the full parse says.</summary>
    private static void CheckView(ReadOnlySpan<byte> input, ParsedInfo expected)
    {
        if (!CapChainReader.TryParse(input, out var view, out var error))
            throw new FuzzFinding($"the view rejects what the adapter accepted: {error}");
        var ranges = expected.IovaRanges;
        if (view.HasIovaRanges != ranges is not null || (ranges is not null && view.IovaRanges.Count != ranges.Count))
            throw new FuzzFinding("the view's IOVA_RANGE presence or count differs");
        for (int i = 0; ranges is not null && i < ranges.Count; i++)
        {
            if (view.IovaRanges[i] != ranges[i])
                throw new FuzzFinding($"the view's range {i} is {view.IovaRanges[i]}, the model's {ranges[i]}");
        }

        if (view.TryGetDmaAvail(out uint avail) != expected.DmaAvail.HasValue || (expected.DmaAvail is uint a && a != avail))
            throw new FuzzFinding("the view's DMA_AVAIL differs");
        if (view.Truncated != expected.Truncated || view.CapCount != expected.Caps.Count)
            throw new FuzzFinding("the view's truncation or capability count differs");
    }

    private static string Verdict(bool ok, CapChainError error) => ok ? "accepts" : $"rejects ({error})";

    private static string Describe(ParsedInfo info) =>
        $"argsz {info.Argsz} flags 0x{info.Flags:x} pgsizes 0x{info.IovaPgsizes:x} cap_offset {info.CapOffset} caps [{string.Join(", ", info.Caps)}]";
}
