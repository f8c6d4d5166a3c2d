namespace Harness.Cli;

/// <summary>A problem reported as one line (no stack trace) and an exit code: by default the user's input or usage.</summary>
public sealed class CliException(string message, int exitCode = ExitCodes.Usage) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
