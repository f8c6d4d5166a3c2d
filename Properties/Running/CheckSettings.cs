namespace Harness.Properties;

/// <summary>How hard one check of one property tries: runs (FsCheck's MaxTest), the longest call list, and where to start.</summary>
public sealed record CheckSettings(int Runs, int MaxOps, ReplaySeed? Seed = null)
{
    /// <summary>The per-property budget of <c>dotnet test</c>, scaled by the HARNESS_BUDGET multiplier (default 1).</summary>
    public static CheckSettings Ci
    {
        get
        {
            double scale = double.TryParse(Environment.GetEnvironmentVariable("HARNESS_BUDGET"), System.Globalization.CultureInfo.InvariantCulture, out double s) && s > 0 ? s : 1;
            return new CheckSettings(Math.Max(1, (int)(150 * scale)), Math.Max(8, (int)(60 * Math.Min(scale, 4))));
        }
    }
}
