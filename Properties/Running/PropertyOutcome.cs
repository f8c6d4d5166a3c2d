using System.Text;

namespace Harness.Properties;

/// <summary>The result of checking one property: how many runs passed, the counterexample if one failed, or the harness's own fault.</summary>
public sealed record PropertyOutcome(string Property, int Runs, long Operations, Counterexample? Failure, HarnessFault? Fault = null)
{
    public bool Passed => Failure is null && Fault is null;
}

/// <summary>
/// A shrunk failing run, as a reader needs it: the setup, the calls one per line with what the
/// model returned, the step that diverged with model against implementation, and how to replay it.
/// </summary>
public sealed record Counterexample(
    string Property,
    string Selector,
    string Setup,
    IReadOnlyList<string> Calls,
    IReadOnlyList<string> ModelOutcomes,
    int FailedStep,
    string What,
    string? Model,
    string? Implementation,
    ReplaySeed? Replay,
    int Shrinks,
    RegressionFile File)
{
    /// <summary>Where the regression file was written, once it has been.</summary>
    public string? SavedAs { get; init; }

    /// <summary>What <c>harness replay</c> needs before the file, as <c>--native LIB.so </c>; empty for the harness's own implementation.</summary>
    public string ReplayOptions { get; init; } = "";

    public string Report()
    {
        var text = new StringBuilder();
        text.AppendLine($"property {Property} failed ({Shrinks} shrinks): {What}");
        text.AppendLine($"  setup: {Setup}");
        for (int step = 0; step < Calls.Count; step++)
        {
            string outcome = step < ModelOutcomes.Count ? ModelOutcomes[step] : "";
            string marker = step == FailedStep ? "   <-- diverges here" : "";
            text.AppendLine($"  {step,3}: {Calls[step]} -> {outcome}{marker}");
        }

        if (Model is not null)
        {
            text.AppendLine($"  model:          {Model}");
            text.AppendLine($"  implementation: {Implementation}");
        }

        if (Replay is ReplaySeed seed)
            text.AppendLine($"  replay: harness check {Selector} --replay {seed}");
        if (SavedAs is not null)
            text.AppendLine($"  regression file: {SavedAs} (harness replay {ReplayOptions}{SavedAs})");
        return text.ToString();
    }
}
