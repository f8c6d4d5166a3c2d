using System.Globalization;
using System.Text.RegularExpressions;

namespace Harness.Cli;

/// <summary>Durations as people type them: 90s, 2m, 8h, 1h30m, or plain seconds; more than zero and at most <see cref="Longest"/>.</summary>
public static partial class Duration
{
    /// <summary>A year: longer budgets are typos, and every deadline below stays far from TimeSpan's range.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(366);

    /// <summary>The value of a duration option, or the one-line usage error naming it.</summary>
    public static TimeSpan Parse(string option, string text) =>
        TryParse(text, out var duration) ? duration : throw new CliException($"{option} '{text}': expected a duration such as 90s, 10m or 8h (at most {Longest.TotalDays:N0} days)");

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        double seconds;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double plain))
        {
            seconds = plain;
        }
        else
        {
            var match = Parts().Match(text.Trim());
            if (!match.Success || match.Length == 0)
                return false;
            double Part(string unit) => match.Groups[unit].Success ? double.Parse(match.Groups[unit].Value, CultureInfo.InvariantCulture) : 0;
            seconds = (Part("h") * 3600) + (Part("m") * 60) + Part("s");
        }

        if (!double.IsFinite(seconds) || seconds <= 0 || seconds > Longest.TotalSeconds)
            return false;
        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }

    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?$")]
    private static partial Regex Parts();
}
