using System.Diagnostics;
using Spectre.Console;

namespace Harness.Cli.Fuzzing;

/// <summary>What <c>harness fuzz</c> shows while the engine runs: a live bar on a terminal, a status line every 30 s otherwise.</summary>
public static class FuzzProgress
{
    /// <summary>Engines stop themselves at the budget; this much later they are stopped for them.</summary>
    private static readonly TimeSpan Overrun = TimeSpan.FromSeconds(60);

    /// <summary>Watches until the engine is done, the budget is overrun or the user interrupts; the engine supervises itself every second (before each look at whether it still runs).</summary>
    public static void Follow(IAnsiConsole console, IFuzzEngine engine, TimeSpan budget, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        bool Done() => cancel.IsCancellationRequested || clock.Elapsed > budget + Overrun || !engine.Running;
        if (console.Profile.Capabilities.Interactive)
        {
            console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    var bar = context.AddTask(Status(engine.Stats()), maxValue: budget.TotalSeconds);
                    while (!Done())
                    {
                        cancel.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
                        engine.Supervise(line => console.MarkupLine(Markup.Escape(line)));
                        bar.Value = Math.Min(clock.Elapsed.TotalSeconds, budget.TotalSeconds);
                        bar.Description = Status(engine.Stats());
                    }
                });
        }
        else
        {
            var next = TimeSpan.FromSeconds(30);
            while (!Done())
            {
                cancel.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
                engine.Supervise(console.WriteLine);
                if (clock.Elapsed < next)
                    continue;
                console.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}] {Status(engine.Stats())}");
                next += TimeSpan.FromSeconds(30);
            }
        }
    }

    public static string Status(FuzzStats stats) =>
        $"{stats.Execs:N0} execs{(stats.ExecsPerSecond > 0 ? $" ({stats.ExecsPerSecond:N0}/s)" : "")}, {stats.Paths:N0} paths, {stats.Crashes} crashes, {stats.Hangs} hangs" +
        (stats.Stability is double s ? $", stability {s:F1}%" : "");
}
