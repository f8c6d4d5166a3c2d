using System.Diagnostics;
using Harness.Properties;

namespace Harness.Fuzz;

/// <summary>
/// What makes two crashes the same bug, for triage: a divergence by its property, what differed
/// and the call it happened on; any other exception by its type and the top frames of our code.
/// Numbers in the words (addresses, sizes, offsets) are not part of it: one off-by-one at the
/// end of every valid range is one bug, whichever range the fuzzer hit.
/// </summary>
public static class CrashSignature
{
    private const int TopFrames = 3;

    public static string Of(Exception e) => e switch
    {
        FuzzFinding f => $"{f.Counterexample.Property}: {Divergence.KindOf(f.Counterexample.What)} at {CallName(f.Counterexample)}",
        Divergence d => $"{nameof(Divergence)}: {d.Kind}",
        _ => $"{e.GetType().Name} at {string.Join(" < ", Frames(e))}",
    };

    /// <summary>The first line of what went wrong, for a one-line description.</summary>
    public static string Summary(Exception e) => e switch
    {
        FuzzFinding { Counterexample: var c } => $"{c.Property}: {c.What} at step {c.FailedStep}, {FailedCall(c)}" + (c.Model is null ? "" : $": model {c.Model}, implementation {c.Implementation}"),
        _ when e.Message.Split('\n', 2)[0].Trim() is { Length: > 0 } line => $"{e.GetType().Name}: {line}",
        _ => e.GetType().Name,
    };

    private static string FailedCall(Counterexample c) => c.FailedStep >= 0 && c.FailedStep < c.Calls.Count ? c.Calls[c.FailedStep] : "?";

    private static string CallName(Counterexample c)
    {
        string call = FailedCall(c);
        int paren = call.IndexOf('(', StringComparison.Ordinal);
        return paren > 0 ? call[..paren] : call;
    }

    private static IEnumerable<string> Frames(Exception e) =>
        new StackTrace(e).GetFrames()
            .Select(f => f.GetMethod())
            .Where(m => m?.DeclaringType?.Namespace?.StartsWith("Harness.", StringComparison.Ordinal) == true && !m.DeclaringType.Name.Contains('<', StringComparison.Ordinal))
            .Select(m => $"{m!.DeclaringType!.Name}.{m.Name}")
            .Take(TopFrames)
            .DefaultIfEmpty("(no frame of ours)");
}
