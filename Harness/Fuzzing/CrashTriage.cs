using System.Text;
using Harness.Fuzz;
using Harness.Properties;

namespace Harness.Cli.Fuzzing;

/// <summary>Crashes that are one bug: the same signature on uninstrumented replay.</summary>
public sealed record CrashGroup(string Signature, string Summary, int Inputs, string Kept, int KeptLength, string? RegressionFile);

public sealed record TriageReport(int Findings, int Replayed, int NotReproduced, IReadOnlyList<CrashGroup> Groups);

/// <summary>
/// After a campaign: every crash and hang is replayed without instrumentation (a child process
/// per input, so a hang or a stack overflow cannot take the harness down), grouped by
/// signature, and one input per group is minimized by the engine, checked to still fail the
/// same way, and written atomically to the regressions with a line in their index. An ops
/// divergence also leaves its call list as a regression file that <c>harness replay</c> reads.
/// </summary>
public static class CrashTriage
{
    private const int MaxReplayed = 200;
    private static readonly TimeSpan ReplayTimeout = TimeSpan.FromSeconds(30);

    public static TriageReport Run(FuzzSettings settings, FuzzBuild build, IFuzzEngine engine, Action<string> status)
    {
        var findings = engine.Findings();
        var replayed = findings.Take(MaxReplayed).Select(path => (path, verdict: Replay(settings, build, path))).ToList();
        var crashing = replayed.Where(r => r.verdict.Crashed).ToList();
        string work = settings.Local("triage");
        Directory.CreateDirectory(work);

        var groups = new List<CrashGroup>();
        foreach (var group in crashing.GroupBy(r => r.verdict.Signature!))
        {
            var (path, verdict) = group.MinBy(r => new FileInfo(r.path).Length);
            status($"minimizing {group.Key}");
            if (!IsHang(group.Key) && engine.Minimize(path, Path.Combine(work, $"{groups.Count}.min")) is { } minimized
                && Replay(settings, build, minimized) is { Crashed: true } again && again.Signature == group.Key)
            {
                (path, verdict) = (minimized, again);
            }

            byte[] input = File.ReadAllBytes(path);
            string kept = Path.Combine(settings.Regressions, settings.Target.Name, CorpusFiles.NameOf(input));
            Directory.CreateDirectory(Path.GetDirectoryName(kept)!);
            AtomicFile.WriteAllBytes(kept, input);
            RegressionIndex.Add(Path.GetDirectoryName(kept)!, Path.GetFileName(kept), verdict.Summary ?? group.Key);
            string? regression = verdict.Regression is { } json
                ? RegressionFile.Parse(kept, Encoding.UTF8.GetBytes(json.GetRawText())).Save(settings.Regressions)
                : null;
            groups.Add(new CrashGroup(group.Key, verdict.Summary ?? "", group.Count(), kept, input.Length, regression));
        }

        return new TriageReport(findings.Count, replayed.Count, replayed.Count - crashing.Count, groups);
    }

    private static bool IsHang(string signature) => signature.StartsWith("hang", StringComparison.Ordinal);

    /// <summary>One input through the uninstrumented target, in its own process.</summary>
    private static TriageVerdict Replay(FuzzSettings settings, FuzzBuild build, string input)
    {
        var result = ChildProcess.Run(
            ChildProcess.Info("dotnet", [build.PlainDll, .. settings.TargetArguments, "--triage", input], settings.StateDirectory),
            ReplayTimeout);
        if (result.TimedOut)
            return new TriageVerdict(true, $"hang: no answer in {ReplayTimeout.TotalSeconds:F0} s uninstrumented", "the target does not finish", null, null);
        string? json = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'));
        if (result.ExitCode != 0 || json is null)
            return new TriageVerdict(true, $"process died: {result.LastLine}", $"the target process died (exit {result.ExitCode}): {result.LastLine}", null, null);
        return TriageVerdict.FromJson(json) ?? throw new CliException($"{input}: the triage replay printed no verdict", ExitCodes.Internal);
    }
}
