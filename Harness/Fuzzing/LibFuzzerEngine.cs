using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Harness.Cli.Fuzzing;

/// <summary>
/// libFuzzer through our driver (Fuzz/libfuzzer/driver.c) in fork mode: <c>-fork=N</c> jobs,
/// crashes and timeouts kept as artifacts without stopping the run, the working corpus in the
/// state directory (so a rerun resumes from it), progress read from libFuzzer's log.
/// </summary>
public sealed partial class LibFuzzerEngine(FuzzSettings settings, FuzzBuild build) : IFuzzEngine
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(10);

    private Process? driver;

    public string Name => "libFuzzer";

    private string WorkCorpus => Path.Combine(settings.StateDirectory, "libfuzzer", "corpus");

    private string Artifacts => Path.Combine(settings.StateDirectory, "libfuzzer", "findings");

    private string Log => Path.Combine(settings.StateDirectory, "libfuzzer.log");

    private Dictionary<string, string> Environment => new()
    {
        ["HARNESS_FUZZ_DLL"] = build.InstrumentedDll,
        ["HARNESS_FUZZ_ARGS"] = string.Join(' ', settings.TargetArguments),
    };

    private List<string> Common =>
    [
        "-timeout=10", $"-max_len={settings.Target.MaxLength}", .. settings.Dictionary is { } dictionary ? [$"-dict={dictionary}"] : Array.Empty<string>(),
    ];

    public bool Running => driver is { HasExited: false };

    /// <summary>Fork mode restarts its own jobs after a crash or a timeout.</summary>
    public void Supervise(Action<string> status)
    {
    }

    public void Start(TimeSpan budget)
    {
        Directory.CreateDirectory(WorkCorpus);
        Directory.CreateDirectory(Artifacts);
        List<string> arguments =
        [
            $"-fork={settings.Jobs}", "-ignore_crashes=1", "-ignore_timeouts=1", "-ignore_ooms=1",
            $"-max_total_time={Math.Max(1, (long)budget.TotalSeconds)}", $"-artifact_prefix={Artifacts}/", .. Common, WorkCorpus, settings.Seeds,
        ];
        driver = ChildProcess.StartLogged(ChildProcess.Info(build.Driver!, arguments, settings.StateDirectory, Environment), Log);
    }

    public FuzzStats Stats()
    {
        var last = File.Exists(Log) ? ReadShared(Log).Split('\n').Select(l => Progress().Match(l)).LastOrDefault(m => m.Success) : null;
        long Field(string name) => last is null ? 0 : long.Parse(last.Groups[name].Value, CultureInfo.InvariantCulture);
        return new FuzzStats(Field("execs"), Field("rate"), Field("corpus"), Files("crash-").Count(), Files("timeout-").Count(), null, Running ? settings.Jobs : 0);
    }

    public string LogTail() =>
        File.Exists(Log) ? string.Join(" | ", ReadShared(Log).Split('\n').Where(l => l.Contains("ERROR", StringComparison.Ordinal) || l.Contains("libfuzzer-dotnet:", StringComparison.Ordinal)).TakeLast(2)) : "";

    public void Stop()
    {
        if (driver is not null)
            ChildProcess.Stop([driver], TimeSpan.FromSeconds(20));
    }

    public IReadOnlyList<string> Findings() => [.. Files("crash-").Concat(Files("timeout-")).OrderBy(File.GetLastWriteTimeUtc)];

    public string? Minimize(string crash, string output)
    {
        var result = ChildProcess.Run(
            ChildProcess.Info(build.Driver!, ["-minimize_crash=1", "-runs=20000", "-max_total_time=120", $"-exact_artifact_path={output}", .. Common, crash], settings.StateDirectory, Environment),
            ToolTimeout);
        return File.Exists(output) ? output : null;
    }

    /// <summary><c>-merge=1</c> into a copy of the corpus; what the merge added is what is new.</summary>
    public IReadOnlyList<string> MergeInto(string corpus)
    {
        string staging = settings.Local("merge");
        if (Directory.Exists(staging))
            Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        var before = new HashSet<string>();
        foreach (string seed in CorpusFiles.Regular(corpus))
        {
            string copy = Path.Combine(staging, "seed-" + Path.GetFileName(seed));
            File.Copy(seed, copy);
            before.Add(copy);
        }

        var result = ChildProcess.Run(
            ChildProcess.Info(build.Driver!, ["-merge=1", .. Common, staging, WorkCorpus], settings.StateDirectory, Environment),
            ToolTimeout);
        if (result.ExitCode != 0)
            throw new CliException($"libFuzzer -merge=1 failed: {result.LastLine}", ExitCodes.Internal);
        return CorpusFiles.AddByContent(corpus, CorpusFiles.Regular(staging).Where(f => !before.Contains(f)));
    }

    private IEnumerable<string> Files(string prefix) =>
        CorpusFiles.Regular(Artifacts).Where(f => Path.GetFileName(f).StartsWith(prefix, StringComparison.Ordinal));

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Fork mode's "#N: cov: .. ft: .. corp: C exec/s: R ..." and the single-process "#N  NEW cov: .. corp: C/..b .. exec/s: R".</summary>
    [GeneratedRegex(@"^#(?<execs>\d+):?\s+\S*\s*cov: \d+ ft: \d+ corp: (?<corpus>\d+)\S* .*?exec/s:? (?<rate>\d+)")]
    private static partial Regex Progress();
}
