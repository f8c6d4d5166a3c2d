using Harness.Properties;

namespace Harness.Fuzz;

/// <summary>A fuzz input made the implementation diverge from the model: the counterexample, as <c>harness check</c> would print it.</summary>
/// <param name="shrink">Makes the counterexample minimal; only triage pays for it, never the fuzzing loop.</param>
public sealed class FuzzFinding(Counterexample counterexample, Func<Counterexample, Counterexample>? shrink = null) : Exception(counterexample.Report())
{
    public Counterexample Counterexample { get; } = counterexample;

    public FuzzFinding Shrunk() => shrink is null ? this : new FuzzFinding(shrink(Counterexample));
}
