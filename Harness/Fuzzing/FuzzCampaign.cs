using Spectre.Console;

namespace Harness.Cli.Fuzzing;

/// <summary>
/// A whole unattended campaign: build and instrument, run the engine on every core asked for,
/// show progress, stop at the budget or on SIGINT/SIGTERM, then triage the crashes into regressions
/// and merge the new coverage into the seed corpus. Exit 1 when a crash reproduces, 130 when interrupted (after triage).
/// </summary>
public static class FuzzCampaign
{
    public static int Run(FuzzSettings settings, IAnsiConsole console, CancellationToken cancel)
    {
        if (settings.Fresh && Directory.Exists(settings.StateDirectory))
            Directory.Delete(settings.StateDirectory, recursive: true);
        Directory.CreateDirectory(settings.StateDirectory);
        console.WriteLine($"fuzz {settings.Target.Name}{(settings.Planted is null ? "" : $" with planted bug {settings.Planted.Name}")}{(settings.Native is null ? "" : $" against {settings.Native}")}: {settings.Engine}, {settings.Jobs} job(s), {settings.Budget}, state in {settings.StateDirectory}");

        FuzzBuild? build = null;
        try
        {
            build = FuzzBuild.Make(settings, s => console.WriteLine($"  {s}"));
        }
        catch (CliException) when (cancel.IsCancellationRequested)
        {
            // Ctrl-C reaches the build's own processes too, which then fail: that is the interruption, not a broken build.
        }

        if (build is null || cancel.IsCancellationRequested)
        {
            console.WriteLine("interrupted while building: no engine was started");
            return ExitCodes.Interrupted;
        }

        IFuzzEngine engine = settings.Engine == FuzzEngineKind.Afl ? new AflEngine(settings, build) : new LibFuzzerEngine(settings, build);
        engine.Start(settings.Budget);
        try
        {
            FuzzProgress.Follow(console, engine, settings.Budget, cancel);
        }
        finally
        {
            engine.Stop();
        }

        var stats = engine.Stats();
        if (stats.Execs == 0 && cancel.IsCancellationRequested)
        {
            console.WriteLine($"{engine.Name} interrupted before it ran the target: nothing to triage");
            return ExitCodes.Interrupted;
        }

        if (stats.Execs == 0)
            throw new CliException($"{engine.Name} stopped without running the target: {engine.LogTail()} (logs in {settings.StateDirectory})", ExitCodes.Internal);
        console.WriteLine($"{engine.Name} {(cancel.IsCancellationRequested ? "interrupted" : "done")}: {FuzzProgress.Status(stats)}");

        var triage = CrashTriage.Run(settings, build, engine, s => console.WriteLine($"  {s}"));
        Report(console, triage);

        if (settings.MergesCorpus)
        {
            var added = engine.MergeInto(settings.Seeds);
            console.WriteLine($"corpus: {added.Count} input(s) with new coverage merged into {Path.GetRelativePath(settings.Checkout, settings.Seeds)}/");
        }
        else
        {
            console.WriteLine($"corpus: not merged (a {(settings.Native is null ? "planted bug" : "native library")}'s coverage is not the shipped code's)");
        }

        return cancel.IsCancellationRequested ? ExitCodes.Interrupted : triage.Groups.Count == 0 ? ExitCodes.Ok : ExitCodes.Found;
    }

    private static void Report(IAnsiConsole console, TriageReport triage)
    {
        console.WriteLine($"triage: {triage.Findings} finding(s), {triage.Replayed} replayed uninstrumented, {triage.NotReproduced} did not reproduce, {triage.Groups.Count} distinct");
        if (triage.Groups.Count == 0)
            return;
        var table = new Table().AddColumns("signature", "inputs", "kept (minimized)", "bytes");
        foreach (var group in triage.Groups)
            table.AddRow(Markup.Escape(group.Signature), group.Inputs.ToString(), Markup.Escape(group.Kept), group.KeptLength.ToString());
        console.Write(table);
        foreach (var group in triage.Groups)
        {
            console.WriteLine($"{group.Kept}: {group.Summary}");
            if (group.RegressionFile is not null)
                console.WriteLine($"  calls: {group.RegressionFile} (harness replay {group.RegressionFile})");
        }
    }
}
