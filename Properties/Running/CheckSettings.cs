namespace Harness.Properties;

/// <summary>How hard one check of one property tries: runs (FsCheck's MaxTest), the longest call list, and where to start.</summary>
public sealed record CheckSettings(int Runs, int MaxOps, ReplaySeed? Seed = null)
{
    /// <summary>
    /// How long one failure may shrink: a case of thousands of calls costs a model replay per
    /// candidate, so past this the smallest failing list found so far is the counterexample.
    /// </summary>
    public TimeSpan ShrinkTime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The per-property budget of <c>dotnet test</c>, scaled by the HARNESS_BUDGET multiplier (default 1), from one
    /// fixed seed: every run of the tests checks the same cases, so what it catches it catches every time
    /// (<c>harness check</c> starts from a fresh seed each run).
    /// </summary>
    public static CheckSettings Ci
    {
        get
        {
            double scale = double.TryParse(Environment.GetEnvironmentVariable("HARNESS_BUDGET"), System.Globalization.CultureInfo.InvariantCulture, out double s) && s > 0 ? s : 1;
            return new CheckSettings(Math.Max(1, (int)(400 * scale)), Math.Max(8, (int)(60 * Math.Min(scale, 4))), CiSeed);
        }
    }

    private static readonly ReplaySeed CiSeed = new(0x2026_1203, 0x2f, null);

    /// <summary>These settings from a definite start seed (a fresh one if none is set), so any outcome can say where it came from.</summary>
    public CheckSettings Seeded() => Seed is null ? this with { Seed = ReplaySeed.Random() } : this;

    /// <summary>FsCheck's configuration for <paramref name="runs"/> runs of one property, quiet, reporting to <paramref name="runner"/>, from the seed if one is set.</summary>
    public FsCheck.Config ToConfig(string name, int runs, FsCheck.IRunner runner)
    {
        var config = FsCheck.Config.Quick
            .WithName(name)
            .WithMaxTest(runs)
            .WithEndSize(MaxOps)
            .WithQuietOnSuccess(true)
            .WithRunner(runner);
        return Seed is ReplaySeed seed ? config.WithReplay(seed.ToFsCheck()) : config;
    }
}
