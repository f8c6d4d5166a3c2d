using System.CommandLine;
using Harness.Cli.Checking;
using Harness.Implementation;
using Harness.Model;
using Harness.Mutants;
using Harness.Native;
using Harness.Properties;
using Spectre.Console;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness check</c>: the property catalogue against the implementation for a time budget on
/// every core, with live progress and a summary table; exit 1 on any failure, each failure shrunk,
/// reported and kept as a regression file. <c>--replay</c> re-runs one recorded failing case.
/// </summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var time = new Option<string?>("--time") { Description = "how long to check: 90s, 10m, 8h [default: 60s, or unbounded with --runs]" };
        var runs = new Option<string?>("--runs") { Description = "stop once every property has had N cases (with --seed and --jobs 1, a fixed amount of work)" };
        var junit = new Option<string?>("--junit") { Description = "also write a JUnit XML report, one test case per property" };
        var property = new Option<string[]>("--property", "-p") { Description = "check only these properties (repeat; see --list)", AllowMultipleArgumentsPerToken = false };
        var seed = new Option<string?>("--seed") { Description = "start seed SEED,GAMMA (with --jobs 1, the run repeats exactly)" };
        var replay = new Option<string?>("--replay") { Description = "re-run the failing case SEED,GAMMA,SIZE of one --property, as a failure report prints it" };
        var jobs = new Option<int>("--jobs", "-j") { Description = "worker threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var regressions = new Option<string?>("--regressions") { Description = "where failures are saved [default: corpus/regressions of this checkout; findings/native with --native]" };
        var list = new Option<bool>("--list") { Description = "list the profiles and the properties and exit" };
        var profileOption = new Option<string?>("--profile") { Description = $"whose rules the model follows: {KernelProfiles.Names} [default: {KernelProfiles.Default.Name}]" };
        var planted = new Option<string?>("--planted") { Description = "check a planted bug's property against that bug instead (see harness mutants --list)" };
        var native = new Option<string?>("--native") { Description = "check a shared library behind native/harness_impl.h instead, under the profile it claims unless --profile says otherwise" };
        var inProcess = new Option<bool>("--in-process") { Description = NativeOption.InProcessHelp };
        var coverage = new Option<bool>("--coverage") { Description = "count the Implementation's structural events (tree splits and merges, rcache depot moves, block splits, list refreshes) and show, per property, which were reached and which never" };
        var command = new Command("check", "Check the implementation against the model: properties, shrinking, regression files.")
        {
            time, runs, property, profileOption, seed, replay, jobs, regressions, list, planted, native, inProcess, junit, coverage,
        };
        command.SetAction((parsed, cancel) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var console = Console(output);
            var library = NativeOption.Load(parsed.GetValue(native), parsed.GetValue(inProcess));
            var profile = parsed.GetValue(profileOption) is null && library is not null ? library.Profile : Profile(parsed.GetValue(profileOption));
            var catalogue = library is null ? PropertyCatalogue.For(profile) : NativeProperties.For(library, profile);
            if (parsed.GetValue(list))
            {
                output.WriteLine("profiles:");
                foreach (var p in KernelProfiles.All)
                    output.WriteLine($"  {p.Name,-26} {p.Kernels}{(p == KernelProfiles.Default ? " (default)" : "")}");
                output.WriteLine($"properties under {profile.Name}{(library is null ? "" : $" for {library.Name}")}:");
                foreach (var p in catalogue)
                    output.WriteLine($"  {p.Name,-26} {p.Description}");
                return Task.FromResult(ExitCodes.Ok);
            }

            bool isPlanted = parsed.GetValue(planted) is not null;
            if (isPlanted && parsed.GetValue(profileOption) is not null)
                throw new CliException("--planted runs the bug under the profile it is a bug in; --profile does not apply");
            if (isPlanted && library is not null)
                throw new CliException("--planted checks a bug planted in the harness's own implementation; --native does not apply");
            var chosen = parsed.GetValue(planted) is string bug
                ? [PlantedBugs.Find(bug)?.Property ?? throw new CliException($"--planted '{bug}': no such planted bug (harness mutants --list)")]
                : Choose(catalogue, profile, parsed.GetValue(property) ?? []);
            string directory = parsed.GetValue(regressions) ?? (isPlanted ? RegressionDirectory.Planted() : library is not null ? RegressionDirectory.Native() : RegressionDirectory.Default());
            if (parsed.GetValue(replay) is string replayText)
                return Task.FromResult(ReplayOne(console, chosen, replayText, directory));

            var budget = Budget(parsed.GetValue(time), parsed.GetValue(runs));
            if (parsed.GetValue(jobs) < 1)
                throw new CliException($"--jobs {parsed.GetValue(jobs)}: needs at least one worker");
            var start = StartSeed.Parse(parsed.GetValue(seed));
            string? report = parsed.GetValue(junit);
            if (report is { Length: 0 })
                throw new CliException("--junit '': expected a file name");

            console.WriteLine($"seed {start} (--seed {start} --jobs 1 repeats this run)");
            var check = new CheckRun(chosen, budget, parsed.GetValue(jobs), start, directory, parsed.GetValue(coverage));
            CheckDisplay.Follow(console, check, cancel);
            CheckDisplay.Summary(console, check);
            if (check.Coverage)
                CheckDisplay.Coverage(console, check);
            if (report is not null)
                OutputFile.Write(report, JunitReport.Of(check));
            return Task.FromResult(
                check.Interrupted ? ExitCodes.Interrupted : check.Faulted ? ExitCodes.Internal : check.Failed ? ExitCodes.Found : ExitCodes.Ok);
        });
        return command;
    }

    private static CheckBudget Budget(string? time, string? runs)
    {
        long? count = null;
        if (runs is not null)
            count = long.TryParse(runs, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long n) && n > 0
                ? n
                : throw new CliException($"--runs '{runs}': expected a positive whole number of cases");
        var limit = time is not null ? Duration.Parse("--time", time) : count is null ? TimeSpan.FromSeconds(60) : Duration.Longest;
        return new CheckBudget(limit, count);
    }

    private static KernelProfile Profile(string? name) =>
        name is null
            ? KernelProfiles.Default
            : KernelProfiles.Find(name) ?? throw new CliException($"--profile '{name}': no such profile (known: {KernelProfiles.Names})");

    private static IReadOnlyList<ICheckProperty> Choose(IReadOnlyList<ICheckProperty> catalogue, KernelProfile profile, string[] names)
    {
        if (names.Length == 0)
            return catalogue;
        return names.Select(name => catalogue.FirstOrDefault(p => p.Name == name)
            ?? throw new CliException($"--property '{name}': no such property under {profile.Name} (harness check --profile {profile.Name} --list)")).ToList();
    }

    private static int ReplayOne(IAnsiConsole console, IReadOnlyList<ICheckProperty> chosen, string text, string directory)
    {
        if (chosen.Count != 1)
            throw new CliException("--replay needs exactly one --property (or --planted)");
        if (!ReplaySeed.TryParse(text, out var seed) || seed.Size is null)
            throw new CliException($"--replay '{text}': expected SEED,GAMMA,SIZE as a failure report prints it");
        var outcome = chosen[0].Check(new CheckSettings(1, 240, seed));
        if (outcome.Fault is { } fault)
        {
            console.Profile.Out.Writer.Write(fault.Report());
            return ExitCodes.Internal;
        }

        if (outcome.Failure is not { } failure)
        {
            console.WriteLine($"{chosen[0].Name}: the case passes now");
            return ExitCodes.Ok;
        }

        string saved = failure.File.Save(directory);
        console.Profile.Out.Writer.Write((failure with { SavedAs = saved }).Report());
        return ExitCodes.Found;
    }

    /// <summary>A Spectre console on the command's output: live progress only on a real terminal.</summary>
    private static IAnsiConsole Console(TextWriter output)
    {
        bool terminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Interactive = terminal ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
        });
        if (!terminal)
            console.Profile.Width = 120;
        return console;
    }
}
