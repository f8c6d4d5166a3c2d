using Spectre.Console;

namespace Harness.Cli.Checking;

/// <summary>What <c>harness check</c> shows while it runs and when it ends.</summary>
public static class CheckDisplay
{
    /// <summary>Runs <paramref name="check"/>, showing a live progress bar on a terminal and a status line every 10 s otherwise.</summary>
    public static void Follow(IAnsiConsole console, CheckRun check, CancellationToken cancel)
    {
        var running = Task.Run(() => check.Run(cancel), CancellationToken.None);
        if (console.Profile.Capabilities.Interactive)
        {
            console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    var bar = context.AddTask(Status(check), maxValue: 1);
                    while (!running.Wait(250, CancellationToken.None))
                    {
                        bar.Value = Progress(check);
                        bar.Description = Status(check);
                    }

                    bar.Value = bar.MaxValue;
                    bar.Description = Status(check);
                });
        }
        else
        {
            while (!running.Wait(TimeSpan.FromSeconds(10), CancellationToken.None))
                console.WriteLine(Status(check));
        }

        running.GetAwaiter().GetResult();
    }

    /// <summary>How far the run is, 0 to 1: by cases when they are counted, else by time.</summary>
    private static double Progress(CheckRun check) => check.Budget.Runs is long runs
        ? Math.Min(1, check.Runs / (double)(runs * check.Tallies.Count))
        : Math.Min(1, check.Elapsed / check.Budget.Time);

    public static string Status(CheckRun check)
    {
        double seconds = Math.Max(check.Elapsed.TotalSeconds, 0.001);
        int failed = check.Tallies.Count(t => t.Failure is not null);
        int faulted = check.Tallies.Count(t => t.Fault is not null);
        return $"{check.Tallies.Count} properties, {check.Runs:N0} cases, {check.Operations:N0} operations ({check.Operations / seconds:N0}/s)"
            + (failed > 0 ? $", {failed} failed" : "") + (faulted > 0 ? $", {faulted} harness errors" : "");
    }

    public static void Summary(IAnsiConsole console, CheckRun check)
    {
        double seconds = Math.Max(check.Elapsed.TotalSeconds, 0.001);
        var table = new Table().AddColumns("property", "cases", "operations", "ops/s", "result");
        foreach (var tally in check.Tallies)
        {
            table.AddRow(
                Markup.Escape(tally.Property.Name),
                tally.Runs.ToString("N0"),
                tally.Operations.ToString("N0"),
                (tally.Operations / seconds).ToString("N0"),
                tally.Failure is not null ? "[red]FAILED[/]" : tally.Fault is not null ? "[red]HARNESS ERROR[/]" : "[green]holds[/]");
        }

        console.Write(table);
        var writer = console.Profile.Out.Writer;
        foreach (var tally in check.Tallies)
        {
            if (tally.Failure is { } failure)
                writer.Write(Environment.NewLine + failure.Report());
            if (tally.Fault is { } fault)
                writer.Write(Environment.NewLine + fault.Report());
        }

        foreach (string message in check.Messages)
            console.WriteLine(message);
        console.WriteLine($"{Verdict(check)}: {Status(check)} in {check.Elapsed.TotalSeconds:N0} s, seed {check.Start}");
    }

    /// <summary>Per property, the structural events its cases reached and those never reached (<c>--coverage</c>).</summary>
    public static void Coverage(IAnsiConsole console, CheckRun check)
    {
        console.WriteLine("structural coverage:");
        foreach (var tally in check.Tallies)
            console.WriteLine($"  {tally.Property.Name}: {StructuralCoverage.Of(tally.Events, tally.Property.Reaches).Describe()}");
    }

    private static string Verdict(CheckRun check) =>
        check.Interrupted ? "INTERRUPTED" : check.Faulted ? "HARNESS ERROR" : check.Failed ? "FAILED" : "passed";
}
