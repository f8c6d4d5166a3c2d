namespace Harness.Properties;

/// <summary>How a replayed call list ended: what the model returned at each step run, and the first step that diverged, if any.</summary>
public sealed record ReplayResult(IReadOnlyList<string> ModelOutcomes, int FailedStep, Divergence? Divergence)
{
    public bool Ok => Divergence is null;
}

/// <summary>
/// Runs a concrete setup and call list against a fresh model and implementation, one step at a
/// time, with the same checks FsCheck applies. It turns a shrunk counterexample into a report,
/// and keeps regression files working when generators change.
/// </summary>
public static class Replayer
{
    public static ReplayResult Run<TSubject, TSetup>(
        MachineSpec<TSubject, TSetup> spec, Func<TSetup, TSubject> implementation, TSetup setup, IReadOnlyList<Op<TSubject>> ops)
        where TSetup : notnull
    {
        int next = 0;
        return Run(spec, implementation, setup, _ => next < ops.Count ? ops[next++] : null, []);
    }

    /// <summary>
    /// The same, with each call chosen only once the model has applied the ones before it (how a
    /// fuzzer's decoder aims calls at the current state); every call made is added to <paramref name="calls"/>.
    /// </summary>
    public static ReplayResult Run<TSubject, TSetup>(
        MachineSpec<TSubject, TSetup> spec, Func<TSetup, TSubject> implementation, TSetup setup, Func<TSubject, Op<TSubject>?> next, List<Op<TSubject>> calls)
        where TSetup : notnull
    {
        var model = spec.CreateModel(setup);
        var actual = new Lazy<TSubject>(() => implementation(setup), LazyThreadSafetyMode.None);
        var outcomes = new List<string>();
        for (int step = 0; Choose(next, model, setup, calls) is { } op; step++)
        {
            calls.Add(op);
            string expected;
            try
            {
                expected = op.Apply(model);
            }
            catch (Exception e)
            {
                throw Fault("the model threw", e, setup, calls);
            }

            outcomes.Add(expected);
            try
            {
                StepCheck.Run(spec, model, expected, actual.Value, op);
            }
            catch (Divergence divergence)
            {
                return new ReplayResult(outcomes, step, divergence);
            }
            catch (Exception e)
            {
                throw Fault("the property's checks threw", e, setup, calls);
            }
        }

        return new ReplayResult(outcomes, -1, null);
    }

    private static Op<TSubject>? Choose<TSubject, TSetup>(Func<TSubject, Op<TSubject>?> next, TSubject model, TSetup setup, List<Op<TSubject>> calls)
        where TSetup : notnull
    {
        try
        {
            return next(model);
        }
        catch (Exception e)
        {
            throw Fault("choosing the next call threw", e, setup, calls);
        }
    }

    /// <summary>The property is named by the caller (<see cref="HarnessFault.In"/>), which knows it.</summary>
    private static HarnessFault Fault<TSubject, TSetup>(string where, Exception e, TSetup setup, List<Op<TSubject>> calls)
        where TSetup : notnull =>
        new("", where, e, null, setup.ToString(), calls.Select(Describe).ToList());

    /// <summary>A call as the report shows it, even when the fault is in its own description.</summary>
    private static string Describe<TSubject>(Op<TSubject> call)
    {
        try
        {
            return call.ToString() ?? "";
        }
        catch (Exception)
        {
            return call.GetType().Name;
        }
    }
}
