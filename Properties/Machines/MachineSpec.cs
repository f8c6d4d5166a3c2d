using FsCheck;

namespace Harness.Properties;

/// <summary>
/// A model-based state machine over one ABI surface: how to set up the model, generate the next
/// call from the model's state, shrink calls and setups, and compare what the two sides can
/// observe after each call. The subject under test is plugged in separately (the optimized
/// implementation, a planted bug, a user's own), so the property is written once.
/// </summary>
/// <typeparam name="TSubject">The interface both sides implement.</typeparam>
/// <typeparam name="TSetup">The serializable parameters of one run (domain, config, layout).</typeparam>
public abstract class MachineSpec<TSubject, TSetup>
    where TSetup : notnull
{
    public abstract Gen<TSetup> Setups { get; }

    public virtual IEnumerable<TSetup> ShrinkSetup(TSetup setup) => [];

    public abstract TSubject CreateModel(TSetup setup);

    /// <summary>An independent copy of a model (state-machine generation keeps one snapshot per step).</summary>
    public abstract TSubject Clone(TSubject model);

    /// <summary>The next call, chosen from the model's state; invalid calls are generated on purpose.</summary>
    public abstract Gen<Op<TSubject>> Next(TSetup setup, TSubject model);

    /// <summary>Whether the two sides must return the same outcome text (false where the spec allows choice, as with a cache).</summary>
    public virtual bool OutcomesMustMatch => true;

    /// <summary>Compares everything observable after <paramref name="op"/>; throws <see cref="Divergence"/>.</summary>
    public abstract void Compare(TSubject model, TSubject implementation, Op<TSubject> op);
}
