using System.CommandLine;
using Harness.Cli.Checking;
using Harness.Native;
using Harness.Native.Conform;
using Harness.Properties;
using Spectre.Console;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness conform</c>: the kernel's own sources compiled in userspace with native/linux-compat,
/// each surface held to the profile of the tree's version by the catalogue's properties; one row
/// per tree and surface, each divergence shrunk and kept with the library that shows it.
/// </summary>
public static class ConformCommand
{
    private const string DebianTarballs = "/usr/src";

    public static Command Create()
    {
        var sources = new Option<string[]>("--linux-source") { Description = $"a Linux tree or linux-source-X.Y.tar.xz (repeat) [default: every {DebianTarballs}/linux-source-*.tar.xz]" };
        var time = new Option<string?>("--time") { Description = "how long to check each surface of each tree [default: 30s]" };
        var seed = new Option<string?>("--seed") { Description = "start seed SEED,GAMMA (with --jobs 1, the run repeats exactly)" };
        var jobs = new Option<int>("--jobs", "-j") { Description = "worker threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<string?>("--output") { Description = "where the built libraries and divergences go [default: findings/conform of this checkout]" };
        var command = new Command("conform", "Hold the kernel's own sources (iova.c, iommu_insert_resv_region, vfio_iommu_type1.c's DMA tracking, io-pgtable-arm.c), compiled in userspace, to the model of their version.")
        {
            sources, time, seed, jobs, output,
        };
        command.SetAction((parsed, cancel) =>
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(parsed.InvocationConfiguration.Output), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
            console.Profile.Width = 180;
            var trees = parsed.GetValue(sources) is { Length: > 0 } named ? named : DefaultTarballs();
            var budget = new CheckBudget(parsed.GetValue(time) is string t ? Duration.Parse("--time", t) : TimeSpan.FromSeconds(30), null);
            if (parsed.GetValue(jobs) < 1)
                throw new CliException($"--jobs {parsed.GetValue(jobs)}: needs at least one worker");
            var start = StartSeed.Parse(parsed.GetValue(seed));
            string directory = parsed.GetValue(output) ?? RegressionDirectory.Conform();

            var built = trees.SelectMany(source => Build(source, directory)).ToList();
            console.WriteLine($"seed {start} (--seed {start} --jobs 1 repeats this run)");
            var runs = built.SelectMany(b => Runs(b.Tree, b.Surface, b.Library));
            var rows = runs.TakeWhile(_ => !cancel.IsCancellationRequested)
                .Select(r => Check(console, r, directory, budget, parsed.GetValue(jobs), start, cancel))
                .ToList();
            Show(console, rows);
            return Task.FromResult(
                cancel.IsCancellationRequested ? ExitCodes.Interrupted
                : rows.Any(r => r.Run.Faulted) ? ExitCodes.Internal
                : rows.Any(r => r.Run.Tallies.Any(t => t.Failure is not null && r.Explain(t) is null)) ? ExitCodes.Found
                : ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>One surface's check: its properties, and what explains a divergence in it.</summary>
    private sealed record Planned(KernelTree Tree, string Label, NativeImplementation Library, IReadOnlyList<ICheckProperty> Properties, IReadOnlyList<KnownDivergence> Known);

    private sealed record Row(Planned Plan, CheckRun Run)
    {
        /// <summary>The known divergence that explains the tally's counterexample, if one does.</summary>
        public KnownDivergence? Explain(PropertyTally tally) =>
            tally.Failure is { } failure ? Plan.Known.FirstOrDefault(k => k.Property == tally.Property.Name && k.Recognises(failure)) : null;
    }

    /// <summary>
    /// Each property of the surface in a row (and a time slice) of its own, so a slow one (the fast
    /// path's bursts) does not starve the others; where the tree has a known divergence, also the
    /// rest of the surface without it.
    /// </summary>
    private static IEnumerable<Planned> Runs(KernelTree tree, ConformSurface surface, NativeImplementation library)
    {
        var known = KnownDivergence.Of(tree, surface).ToList();
        foreach (var property in NativeProperties.For(library, library.Profile))
            yield return new Planned(tree, surface.Name, library, [property], known);
        foreach (var divergence in known)
            yield return new Planned(tree, $"{surface.Name} ({divergence.RemainderLabel})", library, [divergence.Remainder(library)], []);
    }

    private static string[] DefaultTarballs()
    {
        var found = Directory.Exists(DebianTarballs)
            ? Directory.GetFiles(DebianTarballs, "linux-source-*.tar.xz").Order(StringComparer.Ordinal).ToArray()
            : [];
        return found.Length > 0
            ? found
            : throw new CliException($"no Linux sources: none in {DebianTarballs} (apt-get install linux-source-6.1 linux-source-6.12) and no --linux-source");
    }

    /// <summary>Every surface of one tree built and loaded; any failure is the command's one-line error, before anything runs.</summary>
    private static List<(KernelTree Tree, ConformSurface Surface, NativeImplementation Library)> Build(string source, string directory)
    {
        try
        {
            var tree = KernelTree.Open(source, Path.Combine(directory, "trees"));
            string libraries = Path.Combine(directory, $"linux-{tree.Version}");
            return ConformSurface.All.Select(surface => (tree, surface, ConformBuild.Build(tree, surface, libraries))).ToList();
        }
        catch (NativeImplementationException e)
        {
            throw new CliException(e.Message);
        }
    }

    private static Row Check(IAnsiConsole console, Planned plan, string directory, CheckBudget budget, int jobs, ReplaySeed start, CancellationToken cancel)
    {
        console.WriteLine($"Linux {plan.Tree.Version} ({plan.Tree.Source}): {plan.Label} under {plan.Library.Profile.Name}, {budget.Time.TotalSeconds:0} s");
        var row = new Row(plan, new CheckRun(plan.Properties, budget, jobs, start, Path.Combine(directory, "divergences")));
        CheckDisplay.Follow(console, row.Run, cancel);
        foreach (var tally in row.Run.Tallies)
        {
            if (tally.Failure is { } failure)
                console.Profile.Out.Writer.Write(failure.Report());
            if (row.Explain(tally) is { } known)
                console.WriteLine($"  explained: {known.Explanation}");
            if (tally.Fault is { } fault)
                console.Profile.Out.Writer.Write(fault.Report());
        }

        return row;
    }

    private static void Show(IAnsiConsole console, List<Row> rows)
    {
        var table = new Table().AddColumns("tree", "version", "profile", "surface", "property", "cases", "operations", "divergences", "verdict");
        foreach (var row in rows)
        {
            foreach (var tally in row.Run.Tallies)
            {
                var tree = row.Plan.Tree;
                table.AddRow(
                    Markup.Escape(Path.GetFileName(tree.Source.TrimEnd('/'))),
                    tree.Version.ToString(),
                    Markup.Escape(tree.Profile.Name),
                    Markup.Escape(row.Plan.Label),
                    Markup.Escape(tally.Property.Name),
                    tally.Runs.ToString("N0"),
                    tally.Operations.ToString("N0"),
                    tally.Failure is null ? "0" : "1",
                    tally.Fault is not null ? "HARNESS ERROR"
                    : row.Explain(tally) is not null ? "explained"
                    : tally.Failure is not null ? "DIVERGES"
                    : "conforms");
            }
        }

        console.Write(table);
    }
}
