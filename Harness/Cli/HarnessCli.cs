using System.CommandLine;
using Harness.Cli.Commands;

namespace Harness.Cli;

/// <summary>The <c>harness</c> command line: verbs, one-line errors, exit codes.</summary>
public static class HarnessCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("A property-based specification and fuzz harness for the Linux reserved-IOVA-region ABI.");
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(MutantsCommand.Create());
        root.Subcommands.Add(FuzzCommand.Create());
        root.Subcommands.Add(ResvCommand.Create());
        root.Subcommands.Add(DecodeCommand.Create());
        root.Subcommands.Add(EncodeCommand.Create());
        return root;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = Build().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            stderr.WriteLine($"harness: {string.Join("; ", parsed.Errors.Select(e => OneLine(e.Message)))} (see 'harness --help')");
            return ExitCodes.Usage;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = stdout,
                Error = stderr,

                // Ctrl-C cancels the action's token; a fuzz campaign still stops its engines and triages, which takes a while.
                ProcessTerminationTimeout = TimeSpan.FromMinutes(15),
            });
        }
        catch (CliException e)
        {
            stderr.WriteLine($"harness: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"harness: internal error: {e.GetType().Name}: {OneLine(e.Message)}");
            return ExitCodes.Internal;
        }
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
}
