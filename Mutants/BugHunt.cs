using System.Diagnostics;
using Harness.Properties;

namespace Harness.Mutants;

/// <summary>How the hunt for one planted bug ended.</summary>
public sealed record HuntResult(PlantedBug Bug, bool Caught, TimeSpan Elapsed, Counterexample? Counterexample, HarnessFault? Fault = null)
{
    /// <summary>Calls in the shrunk counterexample (1 for a single-value property).</summary>
    public int Length => Counterexample is null ? 0 : Math.Max(1, Counterexample.Calls.Count);
}

/// <summary>Checks a planted bug's property in fresh batches until it fails or the time is up.</summary>
public static class BugHunt
{
    public static HuntResult Hunt(PlantedBug bug, TimeSpan budget, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < budget && !cancel.IsCancellationRequested)
        {
            var outcome = bug.Property.Check(new CheckSettings(100, 40));
            if (outcome.Failure is { } failure)
                return new HuntResult(bug, true, clock.Elapsed, failure);
            if (outcome.Fault is { } fault)
                return new HuntResult(bug, false, clock.Elapsed, null, fault);
        }

        return new HuntResult(bug, false, clock.Elapsed, null);
    }
}
