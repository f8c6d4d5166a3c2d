namespace Harness.Cli;

/// <summary>What <c>harness</c> exits with.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A check failed, or an input file or option value is bad.</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong.</summary>
    public const int Usage = 2;

    /// <summary>A bug in harness; the one line printed says what.</summary>
    public const int Internal = 70;
}
