using System.CommandLine;
using Harness.Mutants;
using Spectre.Console;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness mutants</c>: every planted bug of docs/SPEC.md §8 hunted by its property; a table of
/// which were caught, how fast, and the shrunk counterexamples; exit 1 if any survives.
/// </summary>
public static class MutantsCommand
{
    public static Command Create()
    {
        var time = new Option<string>("--time") { Description = "how long each bug may survive", DefaultValueFactory = _ => "30s" };
        var bugs = new Option<string[]>("--bug") { Description = "hunt only these bugs (repeat)", AllowMultipleArgumentsPerToken = false };
        var jobs = new Option<int>("--jobs", "-j") { Description = "bugs hunted at once", DefaultValueFactory = _ => Environment.ProcessorCount };
        var list = new Option<bool>("--list") { Description = "list the planted bugs and exit" };
        var command = new Command("mutants", "Hunt every planted bug (docs/SPEC.md, Planted bugs) with the properties; exit 1 if one survives.") { time, bugs, jobs, list };
        command.SetAction((parsed, cancel) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            if (parsed.GetValue(list))
            {
                foreach (var bug in PlantedBugs.All)
                    output.WriteLine($"{bug.Name,-34} §{bug.Section,-5} {bug.Profile.Name,-11} {bug.Origin}");
                return Task.FromResult(ExitCodes.Ok);
            }

            var budget = Duration.Parse("--time", parsed.GetValue(time)!);
            if (parsed.GetValue(jobs) < 1)
                throw new CliException($"--jobs {parsed.GetValue(jobs)}: needs at least one worker");
            var chosen = (parsed.GetValue(bugs) ?? []) is { Length: > 0 } names
                ? names.Select(n => PlantedBugs.Find(n) ?? throw new CliException($"--bug '{n}': no such planted bug (harness mutants --list)")).ToList()
                : PlantedBugs.All;

            output.WriteLine($"hunting {chosen.Count} planted bug{(chosen.Count == 1 ? "" : "s")}, {budget.TotalSeconds:N0} s each at most, {Math.Min(parsed.GetValue(jobs), chosen.Count)} at a time");
            var results = new HuntResult[chosen.Count];
            Parallel.For(0, chosen.Count, new ParallelOptions { MaxDegreeOfParallelism = parsed.GetValue(jobs) }, i =>
                results[i] = BugHunt.Hunt(chosen[i], budget, cancel));
            Print(output, results, cancel.IsCancellationRequested);
            return Task.FromResult(
                cancel.IsCancellationRequested ? ExitCodes.Interrupted
                : results.Any(r => r.Fault is not null) ? ExitCodes.Internal
                : results.All(r => r.Caught) ? ExitCodes.Ok
                : ExitCodes.Found);
        });
        return command;
    }

    private static void Print(TextWriter output, IReadOnlyList<HuntResult> results, bool interrupted)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        console.Profile.Width = Math.Max(console.Profile.Width, 120);
        var table = new Table().AddColumns("bug", "§", "caught", "time", "calls", "what diverged");
        foreach (var result in results)
        {
            table.AddRow(
                Markup.Escape(result.Bug.Name),
                result.Bug.Section,
                result.Caught ? "yes" : result.Fault is not null ? "HARNESS ERROR" : interrupted ? "interrupted" : "NO",
                $"{result.Elapsed.TotalSeconds:F1} s",
                result.Caught ? result.Length.ToString() : "-",
                Markup.Escape(result.Counterexample?.What ?? result.Fault?.Message ?? (interrupted ? "not decided" : "survived")));
        }

        console.Write(table);
        foreach (var result in results.Where(r => r.Caught))
        {
            var c = result.Counterexample!;
            output.WriteLine($"{result.Bug.Name} (§{result.Bug.Section}, {result.Bug.Origin}):");
            output.WriteLine($"    setup: {c.Setup}");
            for (int step = 0; step < c.Calls.Count; step++)
                output.WriteLine($"    {step}: {c.Calls[step]}{(step == c.FailedStep ? "   <-- diverges" : "")}");
            if (c.Model is not null)
                output.WriteLine($"    model {c.Model.Split('\n')[0]} / implementation {c.Implementation?.Split('\n')[0]}");
        }

        foreach (var result in results.Where(r => r.Fault is not null))
            output.Write(result.Fault!.Report());

        int caught = results.Count(r => r.Caught);
        var survivors = results.Where(r => !r.Caught && r.Fault is null).Select(r => r.Bug.Name).ToList();
        var faulted = results.Where(r => r.Fault is not null).Select(r => r.Bug.Name).ToList();
        output.WriteLine($"{caught} of {results.Count} planted bugs caught"
            + (survivors.Count == 0 ? "" : $"; {(interrupted ? "INTERRUPTED, not caught yet" : "SURVIVORS")}: {string.Join(", ", survivors)}")
            + (faulted.Count == 0 ? "" : $"; HARNESS ERRORS: {string.Join(", ", faulted)}"));
    }
}
