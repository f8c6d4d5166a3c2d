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
                    var bar = context.AddTask(Status(check), maxValue: check.Budget.TotalSeconds);
                    while (!running.Wait(250, CancellationToken.None))
                    {
                        bar.Value = Math.Min(check.Elapsed.TotalSeconds, check.Budget.TotalSeconds);
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

    public static string Status(CheckRun check)
    {
        double seconds = Math.Max(check.Elapsed.TotalSeconds, 0.001);
        int failed = check.Tallies.Count(t => t.Failure is not null);
        return $"{check.Tallies.Count} properties, {check.Runs:N0} cases, {check.Operations:N0} operations ({check.Operations / seconds:N0}/s){(failed > 0 ? $", {failed} failed" : "")}";
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
                tally.Failure is null ? "[green]holds[/]" : "[red]FAILED[/]");
        }

        console.Write(table);
        foreach (var tally in check.Tallies.Where(t => t.Failure is not null))
        {
            console.Profile.Out.Writer.WriteLine();
            console.Profile.Out.Writer.Write(tally.Failure!.Report());
        }

        foreach (string message in check.Messages)
            console.WriteLine(message);
        console.WriteLine(
            $"{(check.Failed ? "FAILED" : "passed")}: {Status(check)} in {check.Elapsed.TotalSeconds:N0} s");
    }
}
