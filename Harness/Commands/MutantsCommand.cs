using System.CommandLine;
using Harness.Mutants;
using Spectre.Console;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness mutants</c>: every planted bug of SPEC.md §8 hunted by its property; a table of
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
        var command = new Command("mutants", "Hunt every planted bug of SPEC.md §8 with the properties; exit 1 if one survives.") { time, bugs, jobs, list };
        command.SetAction((parsed, cancel) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            if (parsed.GetValue(list))
            {
                foreach (var bug in PlantedBugs.All)
                    output.WriteLine($"{bug.Name,-34} §{bug.Section,-5} {bug.Origin}");
                return Task.FromResult(ExitCodes.Ok);
            }

            if (!Duration.TryParse(parsed.GetValue(time)!, out var budget))
                throw new CliException($"--time '{parsed.GetValue(time)}': expected a duration such as 30s");
            if (parsed.GetValue(jobs) < 1)
                throw new CliException($"--jobs {parsed.GetValue(jobs)}: needs at least one worker");
            var chosen = (parsed.GetValue(bugs) ?? []) is { Length: > 0 } names
                ? names.Select(n => PlantedBugs.Find(n) ?? throw new CliException($"--bug '{n}': no such planted bug (harness mutants --list)")).ToList()
                : PlantedBugs.All;

            var results = new HuntResult[chosen.Count];
            Parallel.For(0, chosen.Count, new ParallelOptions { MaxDegreeOfParallelism = parsed.GetValue(jobs) }, i =>
                results[i] = BugHunt.Hunt(chosen[i], budget, cancel));
            Print(output, results);
            return Task.FromResult(results.All(r => r.Caught) ? ExitCodes.Ok : ExitCodes.Failure);
        });
        return command;
    }

    private static void Print(TextWriter output, IReadOnlyList<HuntResult> results)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        console.Profile.Width = Math.Max(console.Profile.Width, 120);
        var table = new Table().AddColumns("bug", "§", "caught", "time", "calls", "what diverged");
        foreach (var result in results)
        {
            table.AddRow(
                Markup.Escape(result.Bug.Name),
                result.Bug.Section,
                result.Caught ? "yes" : "NO",
                $"{result.Elapsed.TotalSeconds:F1} s",
                result.Caught ? result.Length.ToString() : "-",
                Markup.Escape(result.Counterexample?.What ?? "survived"));
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

        int caught = results.Count(r => r.Caught);
        output.WriteLine($"{caught} of {results.Count} planted bugs caught{(caught == results.Count ? "" : "; SURVIVORS: " + string.Join(", ", results.Where(r => !r.Caught).Select(r => r.Bug.Name)))}");
    }
}
