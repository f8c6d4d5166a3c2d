using System.Diagnostics;
using System.Globalization;

namespace Harness.Cli.Fuzzing;

/// <summary>
/// AFL++ over a sync directory: one main instance (<c>-M</c>) and secondaries (<c>-S</c>) that
/// share their queues; AFL_AUTORESUME continues an interrupted campaign. Each instance keeps
/// fuzzer_stats, crashes/ and hangs/ under the sync directory, its log beside it.
/// </summary>
public sealed class AflEngine(FuzzSettings settings, FuzzBuild build) : IFuzzEngine
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(10);

    private const int MaxRestarts = 5;

    /// <summary>Before this much run time an average rate is mostly start-up noise.</summary>
    private const double MinRateSeconds = 10;

    /// <summary>Columns of plot_data: relative_time, cycles_done, cur_item, corpus_count, ..., execs_per_sec, total_execs, edges_found.</summary>
    private const int PlotRelativeTime = 0, PlotCorpusCount = 3, PlotTotalExecs = 11;

    private readonly List<(string Name, Process Process)> instances = [];
    private readonly Dictionary<string, int> restarts = [];
    private DateTime deadline;

    public string Name => "AFL++";

    private string SyncDirectory => Path.Combine(settings.StateDirectory, "afl");

    private static Dictionary<string, string> Environment => new()
    {
        ["AFL_SKIP_BIN_CHECK"] = "1",
        ["AFL_NO_UI"] = "1",
        ["AFL_SKIP_CPUFREQ"] = "1",
        ["AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES"] = "1",
        ["AFL_AUTORESUME"] = "1",
        ["AFL_NO_AFFINITY"] = "1",
        ["AFL_ALLOW_TMP"] = "1",
    };

    /// <summary>afl-cmin wants the target as an absolute path.</summary>
    private List<string> Target => ["--", ChildProcess.Which("dotnet") ?? "dotnet", build.InstrumentedDll, .. settings.TargetArguments];

    public bool Running => instances.Any(i => !i.Process.HasExited);

    public void Start(TimeSpan budget)
    {
        Directory.CreateDirectory(SyncDirectory);
        deadline = DateTime.UtcNow + budget;
        for (int i = 0; i < settings.Jobs; i++)
            instances.Add((Instance(i), Launch(i, budget)));
    }

    /// <summary>
    /// An instance that died before its time (AFL++ gives up on a target process that hangs or
    /// dies outside an exception: "Unable to communicate with fork server") is resumed, a few
    /// times at most, so one bad input does not end an overnight run.
    /// </summary>
    public void Supervise(Action<string> status)
    {
        var left = deadline - DateTime.UtcNow;
        for (int i = 0; i < instances.Count; i++)
        {
            var (name, process) = instances[i];
            if (!process.HasExited || process.ExitCode == 0 || left < TimeSpan.FromSeconds(10) || restarts.GetValueOrDefault(name) >= MaxRestarts)
                continue;
            restarts[name] = restarts.GetValueOrDefault(name) + 1;
            status($"{name} stopped (exit {process.ExitCode}: {LogTail()}); resuming it ({restarts[name]} of {MaxRestarts})");
            instances[i] = (name, Launch(i, left));
        }
    }

    private string Instance(int index) => settings.Host is { } host ? $"{host}-{index}" : index == 0 ? "main" : $"secondary{index}";

    private Process Launch(int index, TimeSpan budget)
    {
        string name = Instance(index);
        List<string> arguments =
        [
            "-i", settings.Seeds, "-o", SyncDirectory, index == 0 && settings.Host is null ? "-M" : "-S", name,
            "-t", "5000", "-m", "none", "-G", settings.Target.MaxLength.ToString(CultureInfo.InvariantCulture),
            "-V", Math.Max(1, (long)budget.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        ];
        if (settings.Dictionary is { } dictionary)
            arguments.AddRange(["-x", dictionary]);
        arguments.AddRange(Target);
        return ChildProcess.StartLogged(ChildProcess.Info("afl-fuzz", arguments, settings.StateDirectory, Environment), Path.Combine(settings.StateDirectory, $"afl-{name}.log"));
    }

    public FuzzStats Stats()
    {
        var all = instances.Select(i => ReadStats(Path.Combine(SyncDirectory, i.Name))).Where(s => s.Count > 0).ToList();
        double? stability = all.Count == 0 ? null : all.Average(s => Number(s, "stability"));
        return new FuzzStats(
            all.Sum(s => (long)Number(s, "execs_done")),
            all.Sum(s => Number(s, "run_time") is var seconds and >= MinRateSeconds ? Number(s, "execs_done") / seconds : 0),
            Math.Max(all.Count == 0 ? 0 : all.Max(s => (long)Number(s, "corpus_count")), Files("queue").Count() / Math.Max(1, instances.Count)),
            Files("crashes").Count(),
            Files("hangs").Count(),
            stability,
            instances.Count(i => !i.Process.HasExited));
    }

    public string LogTail() =>
        string.Join(" | ", instances.Select(i => Path.Combine(settings.StateDirectory, $"afl-{i.Name}.log")).Where(File.Exists)
            .SelectMany(log => File.ReadLines(log).Where(l => l.Contains("PROGRAM ABORT", StringComparison.Ordinal) || l.Contains("[-]", StringComparison.Ordinal)).TakeLast(2))
            .Select(StripAnsi));

    public void Stop() => ChildProcess.Stop(instances.Select(i => i.Process), TimeSpan.FromSeconds(20));

    public IReadOnlyList<string> Findings() => [.. Files("crashes").Concat(Files("hangs")).OrderBy(File.GetLastWriteTimeUtc)];

    public string? Minimize(string crash, string output)
    {
        var result = ChildProcess.Run(
            ChildProcess.Info("afl-tmin", ["-i", crash, "-o", output, "-t", "5000", "-m", "none", .. Target], settings.StateDirectory, Environment),
            ToolTimeout);
        return result.ExitCode == 0 && File.Exists(output) ? output : null;
    }

    public IReadOnlyList<string> MergeInto(string corpus)
    {
        string staging = settings.Local("merge"), input = Path.Combine(staging, "in"), minimized = Path.Combine(staging, "out");
        if (Directory.Exists(staging))
            Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(input);
        foreach (string seed in CorpusFiles.Regular(corpus))
            File.Copy(seed, Path.Combine(input, "seed-" + Path.GetFileName(seed)));
        int queued = 0;
        foreach (string entry in Directory.EnumerateDirectories(SyncDirectory).SelectMany(d => CorpusFiles.Regular(Path.Combine(d, "queue"))))
            File.Copy(entry, Path.Combine(input, $"new-{queued++}"));
        if (queued == 0)
            return [];

        var result = ChildProcess.Run(
            ChildProcess.Info("afl-cmin", ["-i", input, "-o", minimized, "-t", "5000", "-m", "none", .. Target], settings.StateDirectory, Environment),
            ToolTimeout);
        if (result.ExitCode != 0)
            throw new CliException($"afl-cmin failed: {Complaint(result)}", ExitCodes.Internal);
        return CorpusFiles.AddByContent(corpus, CorpusFiles.Regular(minimized).Where(f => Path.GetFileName(f).StartsWith("new-", StringComparison.Ordinal)));
    }

    private IEnumerable<string> Files(string kind) =>
        Directory.Exists(SyncDirectory)
            ? Directory.EnumerateDirectories(SyncDirectory).SelectMany(d => CorpusFiles.Regular(Path.Combine(d, kind)))
            : [];

    /// <summary>
    /// An instance's fuzzer_stats (rewritten about once a minute), brought forward by the last
    /// line of its plot_data (every few seconds) so progress is not a minute stale.
    /// </summary>
    private static Dictionary<string, string> ReadStats(string instance)
    {
        var stats = new Dictionary<string, string>();
        string path = Path.Combine(instance, "fuzzer_stats"), plot = Path.Combine(instance, "plot_data");
        if (!File.Exists(path))
            return stats;
        foreach (string line in File.ReadAllLines(path))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
                stats[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        string[] last = File.Exists(plot) ? File.ReadLines(plot).LastOrDefault(l => !l.StartsWith('#'))?.Split(", ") ?? [] : [];
        if (last.Length > PlotTotalExecs && double.TryParse(last[PlotRelativeTime], CultureInfo.InvariantCulture, out double at) && at > Number(stats, "run_time"))
        {
            stats["run_time"] = last[PlotRelativeTime];
            stats["execs_done"] = last[PlotTotalExecs];
            stats["corpus_count"] = last[PlotCorpusCount];
        }

        return stats;
    }

    private static double Number(Dictionary<string, string> stats, string key) =>
        stats.TryGetValue(key, out string? text) && double.TryParse(text.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : 0;

    /// <summary>AFL++ tools say what is wrong on a "[-]" line; otherwise the last line.</summary>
    private static string Complaint(ChildResult result) =>
        StripAnsi((result.Stdout + "\n" + result.Stderr).Split('\n').LastOrDefault(l => l.Contains("[-]", StringComparison.Ordinal)) ?? result.LastLine);

    private static string StripAnsi(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\x1b\[[0-9;]*m", "").Trim();
}
