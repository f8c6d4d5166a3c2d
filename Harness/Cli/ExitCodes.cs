namespace Harness.Cli;

/// <summary>What every <c>harness</c> verb exits with: one table, printed by <c>--help</c> and kept in the README.</summary>
public static class ExitCodes
{
    /// <summary>Everything checked holds, or the verb did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>Something was found: a counterexample, a planted bug that survived, a regression that still fails, a crash that reproduces.</summary>
    public const int Found = 1;

    /// <summary>Bad usage: an unknown option or a bad value, an input that cannot be read or is not what the verb reads, an output that cannot be written, a tool that is not installed.</summary>
    public const int Usage = 2;

    /// <summary>The harness itself failed (a generator, the model, a property's driver, a fuzz engine); the line says where.</summary>
    public const int Internal = 70;

    /// <summary>Stopped by SIGINT or SIGTERM; what was done so far is summarised.</summary>
    public const int Interrupted = 130;

    public static readonly IReadOnlyList<(int Code, string Meaning)> Table =
    [
        (Ok, "holds: every check passed, or the verb did what was asked"),
        (Found, "found: a counterexample, a surviving planted bug, a regression that still fails, a crash that reproduces"),
        (Usage, "bad usage: an unknown option or value, an input that cannot be read or is not what the verb reads, an output that cannot be written, a missing tool"),
        (Internal, "the harness itself failed (generator, model, driver, fuzz engine); the line says where"),
        (Interrupted, "interrupted by SIGINT or SIGTERM; the summary so far is printed"),
    ];
}
