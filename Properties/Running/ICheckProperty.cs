namespace Harness.Properties;

/// <summary>One named property of the catalogue: checked by FsCheck, or replayed from a regression file.</summary>
public interface ICheckProperty
{
    string Name { get; }

    string Description { get; }

    /// <summary>How harness check picks this property: <c>--property NAME</c>, or <c>--planted BUG</c> for a planted bug.</summary>
    string Selector { get; }

    /// <summary>Cases one run of <see cref="CheckSettings.Runs"/> stands for: a single value is cheaper than a call sequence, so it gets several.</summary>
    int CasesPerRun { get; }

    /// <summary>
    /// The structural events of the managed Implementation its cases can reach: what
    /// <c>check --coverage</c> calls never reached, and what the CI budget must reach. Empty when
    /// the subject is not the Implementation (a native library, a planted bug).
    /// </summary>
    IReadOnlyList<Harness.Implementation.StructuralEvent> Reaches { get; }

    PropertyOutcome Check(CheckSettings settings);

    /// <summary>Replays a regression file's calls; null when they pass, else the counterexample.</summary>
    /// <exception cref="RegressionFileException">The file's setup or calls do not fit this property.</exception>
    Counterexample? Replay(RegressionFile file);
}
