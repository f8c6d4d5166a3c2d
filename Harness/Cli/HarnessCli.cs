using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Harness.Cli.Commands;

namespace Harness.Cli;

/// <summary>The <c>harness</c> command line: verbs, one-line errors, one table of exit codes.</summary>
public static class HarnessCli
{
    /// <summary>The verbs that run for minutes or hours: SIGINT and SIGTERM stop them with a summary.</summary>
    private static readonly HashSet<string> Interruptible = ["check", "mutants", "replay", "fuzz", "conform"];

    public static RootCommand Build()
    {
        var root = new RootCommand("A property-based specification and fuzz harness for the Linux reserved-IOVA-region ABI.");
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(ConformCommand.Create());
        root.Subcommands.Add(MutantsCommand.Create());
        root.Subcommands.Add(FuzzCommand.Create());
        root.Subcommands.Add(ResvCommand.Create());
        root.Subcommands.Add(DecodeCommand.Create());
        root.Subcommands.Add(EncodeCommand.Create());
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithExitCodes((SynchronousCommandLineAction)help.Action!);
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

        using var interruption = Interruptible.Contains(parsed.CommandResult.Command.Name) ? new Interruption() : null;
        try
        {
            var configuration = new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = stdout,
                Error = stderr,
                ProcessTerminationTimeout = null,
            };
            return parsed.InvokeAsync(configuration, interruption?.Token ?? CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (CliException e)
        {
            stderr.WriteLine($"harness: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"harness: a bug in harness itself: {e.GetType().Name}: {OneLine(e.Message)} {Harness.Properties.HarnessFault.FrameOf(e)}");
            return ExitCodes.Internal;
        }
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The usual help, then the exit codes every verb shares.</summary>
    private sealed class HelpWithExitCodes(SynchronousCommandLineAction help) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            help.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Exit codes (every verb):");
            foreach (var (code, meaning) in ExitCodes.Table)
                output.WriteLine($"  {code,-5}{meaning}");
            output.WriteLine();
            return ExitCodes.Ok;
        }
    }
}
