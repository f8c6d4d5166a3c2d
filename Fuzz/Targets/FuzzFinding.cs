using Harness.Properties;

namespace Harness.Fuzz;

/// <summary>A fuzz input made the implementation diverge from the model: the counterexample, as <c>harness check</c> would print it.</summary>
public sealed class FuzzFinding(Counterexample counterexample) : Exception(counterexample.Report())
{
    public Counterexample Counterexample { get; } = counterexample;
}
