using Harness.Model;

namespace Harness.Properties;

/// <summary>
/// What happens at every step, whether FsCheck drives it or a regression file is replayed: apply
/// the call to the implementation, compare its outcome with the model's, compare observable
/// state, then ask the implementation to check its own invariants.
/// </summary>
public static class StepCheck
{
    /// <summary>Operations model-checked so far in this process (for the progress display and throughput).</summary>
    public static long Operations => Interlocked.Read(ref operations);

    /// <summary>Operations model-checked so far on this thread: FsCheck checks a property on the thread that asks.</summary>
    public static long ThreadOperations => threadOperations;

    private static long operations;

    [ThreadStatic]
    private static long threadOperations;

    public static void Run<TSubject, TSetup>(MachineSpec<TSubject, TSetup> spec, TSubject model, string modelOutcome, TSubject implementation, Op<TSubject> op)
        where TSetup : notnull
    {
        string outcome;
        try
        {
            outcome = op.Apply(implementation);
        }
        catch (Divergence)
        {
            throw;
        }
        catch (Exception e)
        {
            throw new Divergence("the implementation threw", modelOutcome, $"{e.GetType().Name}: {e.Message}");
        }

        if (spec.OutcomesMustMatch && outcome != modelOutcome)
            throw new Divergence("results differ", modelOutcome, outcome);
        spec.Compare(model, implementation, op);
        if (implementation is IInvariantChecked checkedImplementation)
        {
            try
            {
                checkedImplementation.CheckInvariants();
            }
            catch (Exception e)
            {
                throw new Divergence($"invariant broken: {e.Message}");
            }
        }

        Record();
    }

    /// <summary>Counts one model-checked operation.</summary>
    public static void Record()
    {
        Interlocked.Increment(ref operations);
        threadOperations++;
    }
}
