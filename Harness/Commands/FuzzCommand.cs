using System.CommandLine;
using Harness.Cli.Fuzzing;
using Harness.Fuzz;
using Harness.Mutants;
using Spectre.Console;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness fuzz TARGET</c>: an unattended, resumable campaign (build, instrument, AFL++ or
/// libFuzzer on N cores, progress, triage of crashes into corpus/regressions/TARGET/, new
/// coverage merged into corpus/TARGET/); exit 1 if a crash reproduces.
/// </summary>
public static class FuzzCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("TARGET") { Description = "capchain, sysfs or ops (--list)", Arity = ArgumentArity.ZeroOrOne };
        var time = new Option<string>("--time") { Description = "how long to fuzz (30s, 10m, 8h)", DefaultValueFactory = _ => "10m" };
        var engine = new Option<string>("--engine") { Description = "afl (default) or libfuzzer", DefaultValueFactory = _ => "afl" };
        var jobs = new Option<int>("--jobs", "-j") { Description = "fuzzing processes (AFL++ -M/-S instances, libFuzzer -fork)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var sync = new Option<string?>("--sync") { Description = "the campaign's state directory (default ~/.cache/harness/fuzz/TARGET); an existing one is resumed" };
        var fresh = new Option<bool>("--fresh") { Description = "discard the state directory and start over" };
        var host = new Option<string?>("--host") { Description = "join a --sync directory shared with other hosts: AFL++ secondaries named HOST-N (one host runs without --host: the main)" };
        var planted = new Option<string?>("--planted") { Description = "fuzz a planted bug (ops target) instead of the implementation; findings go to findings/planted-regressions" };
        var native = new Option<string?>("--native") { Description = "fuzz a GET_INFO parser in a shared library behind native/harness_impl.h (capchain target); findings go to findings/native" };
        var list = new Option<bool>("--list") { Description = "list the targets and exit" };
        var command = new Command("fuzz", "Fuzz one target for a while, then triage crashes into regressions and merge new coverage into its corpus.")
        {
            target, time, engine, jobs, sync, host, fresh, planted, native, list,
        };
        command.SetAction((parsed, cancel) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            if (parsed.GetValue(list))
            {
                foreach (var t in FuzzTargets.All)
                    output.WriteLine($"{t.Name,-10} {t.Description}");
                return Task.FromResult(ExitCodes.Ok);
            }

            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            if (!console.Profile.Capabilities.Interactive)
                console.Profile.Width = Math.Max(console.Profile.Width, 160);

            var settings = Settings(parsed, target, time, engine, jobs, sync, host, fresh, planted, native);
            return Task.FromResult(FuzzCampaign.Run(settings, console, cancel));
        });
        return command;
    }

    private static FuzzSettings Settings(
        ParseResult parsed, Argument<string> target, Option<string> time, Option<string> engine, Option<int> jobs,
        Option<string?> sync, Option<string?> host, Option<bool> fresh, Option<string?> planted, Option<string?> native)
    {
        string? name = parsed.GetValue(target);
        var info = name is null
            ? throw new CliException("which target? (harness fuzz --list)")
            : FuzzTargets.Find(name) ?? throw new CliException($"no fuzz target '{name}' (harness fuzz --list)");
        var budget = Duration.Parse("--time", parsed.GetValue(time)!);
        var kind = parsed.GetValue(engine) switch
        {
            "afl" => FuzzEngineKind.Afl,
            "libfuzzer" => FuzzEngineKind.LibFuzzer,
            var other => throw new CliException($"--engine '{other}': expected afl or libfuzzer"),
        };
        if (parsed.GetValue(jobs) < 1)
            throw new CliException($"--jobs {parsed.GetValue(jobs)}: needs at least one process");

        PlantedBug? bug = null;
        if (parsed.GetValue(planted) is { } bugName)
        {
            bug = PlantedBugs.Find(bugName) ?? throw new CliException($"--planted '{bugName}': no such planted bug (harness mutants --list)");
            if (!info.CanPlant(bug))
                throw new CliException($"--planted {bug.Name}: the {info.Name} target cannot reach it (its property is {bug.Property.Name}; try the ops target)");
        }

        string? library = parsed.GetValue(native) is { } path ? NativeParser(path, info, bug) : null;

        string checkout = Checkout.Find() ?? throw new CliException("harness fuzz builds the fuzz targets from source: run it inside a checkout (no Harness.sln here or above)");
        if (!Directory.Exists(Path.Combine(checkout, "corpus", info.Name)))
            throw new CliException($"no seed corpus at corpus/{info.Name}/");
        string state = Path.GetFullPath(parsed.GetValue(sync) ?? FuzzSettings.DefaultState(info.Name, bug, library));
        if (state == checkout || state.StartsWith(checkout + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new CliException($"--sync {state}: keep campaign state outside the checkout");
        string? hostName = Host(parsed.GetValue(host), parsed.GetValue(engine));

        // Every argument is checked before the tools are looked up: a bad command line is usage whatever is installed.
        RequireTool(kind == FuzzEngineKind.Afl ? "afl-fuzz" : FuzzBuild.Clang, kind == FuzzEngineKind.Afl ? "apt-get install afl++" : "apt-get install clang libclang-rt-14-dev");
        return new FuzzSettings(info, budget, kind, parsed.GetValue(jobs), state, parsed.GetValue(fresh), bug, checkout, hostName, library);
    }

    /// <summary>The library's full path, once it is known to load and to have a parser for the capchain target.</summary>
    private static string NativeParser(string path, FuzzTargetInfo info, PlantedBug? bug)
    {
        if (bug is not null)
            throw new CliException("--planted fuzzes a bug planted in the harness's own implementation; --native does not apply");
        if (info.Name != "capchain")
            throw new CliException($"--native: only the capchain target fuzzes a native library (not {info.Name})");
        var library = NativeOption.Load(path, inProcess: true)!;
        if (!library.HasCapChainParser)
            throw new CliException($"--native {path}: the library implements no capchain parser");
        return library.Path;
    }

    private static string? Host(string? name, string? engine) => name switch
    {
        null => null,
        _ when engine != "afl" => throw new CliException("--host: only AFL++ campaigns share a sync directory"),
        _ when name.Length == 0 || name.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-') => throw new CliException($"--host '{name}': letters, digits and '-' only"),
        _ => name,
    };

    private static void RequireTool(string tool, string install)
    {
        if (ChildProcess.Which(tool) is null)
            throw new CliException($"{tool} not found ({install})");
    }
}
