namespace Harness.Cli;

/// <summary>A problem with the user's input, reported as one line (no stack trace) and an exit code.</summary>
public sealed class CliException(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
