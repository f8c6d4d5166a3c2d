using System.Text;

namespace Harness.Properties;

/// <summary>
/// The harness's own code failed (a generator, the model, a property's driver or checks), not the
/// implementation under test: reported with the property, where it happened, the seed and the
/// calls so far, so the run goes on and the summary can say the harness itself needs fixing.
/// </summary>
public sealed class HarnessFault(string property, string where, Exception cause, ReplaySeed? seed = null, string? setup = null, IReadOnlyList<string>? calls = null)
    : Exception($"{property}: {where}: {cause.GetType().Name}: {cause.Message}", cause)
{
    public string Property { get; } = property;

    public string Where { get; } = where;

    public ReplaySeed? Seed { get; } = seed;

    public string? Setup { get; } = setup;

    public IReadOnlyList<string> Calls { get; } = calls ?? [];

    /// <summary>The same fault, placed in the property and the run (from <paramref name="start"/>, if FsCheck drove it) it happened in.</summary>
    public HarnessFault In(string property, ReplaySeed? start) => new(property, Where, InnerException!, Seed ?? start, Setup, Calls);

    /// <summary>
    /// Runs one FsCheck check of <paramref name="property"/> from a definite start seed (the
    /// settings' own, or a fresh one); an exception from the harness's own code becomes the
    /// outcome's fault, with that seed, instead of ending the run.
    /// </summary>
    public static PropertyOutcome Catching(string property, CheckSettings settings, Func<CheckSettings, PropertyOutcome> check)
    {
        settings = settings.Seeded();
        var start = settings.Seed!.Value;
        try
        {
            return check(settings);
        }
        catch (HarnessFault fault)
        {
            return new PropertyOutcome(property, 0, 0, null, fault.In(property, start));
        }
        catch (Exception e)
        {
            while (e is System.Reflection.TargetInvocationException or AggregateException && e.InnerException is not null)
                e = e.InnerException;
            return new PropertyOutcome(property, 0, 0, null, new HarnessFault(property, "while FsCheck generated or checked a case", e, start));
        }
    }

    /// <summary>The innermost frame of the harness's own code that threw (else the innermost frame), for the report.</summary>
    public string Frame => FrameOf(InnerException!);

    /// <summary>The innermost <c>Harness.</c> frame of <paramref name="e"/>'s stack (else its innermost), without the file name.</summary>
    public static string FrameOf(Exception e)
    {
        var frames = (e.StackTrace ?? "").Split('\n').Select(l => l.Trim().Split(" in ")[0]).Where(l => l.StartsWith("at ", StringComparison.Ordinal)).ToList();
        return frames.FirstOrDefault(l => l.StartsWith("at Harness.", StringComparison.Ordinal)) ?? frames.FirstOrDefault() ?? "at ?";
    }

    public string Report()
    {
        var text = new StringBuilder();
        text.AppendLine($"property {Property}: HARNESS ERROR {Where}: {InnerException!.GetType().Name}: {InnerException.Message.ReplaceLineEndings(" ")}");
        text.AppendLine($"  {Frame}");
        if (Setup is not null)
            text.AppendLine($"  setup: {Setup}");
        for (int step = 0; step < Calls.Count; step++)
            text.AppendLine($"  {step,3}: {Calls[step]}{(step == Calls.Count - 1 ? "   <-- the harness failed here" : "")}");
        if (Seed is ReplaySeed seed)
            text.AppendLine($"  seed: {seed} (harness check --property {Property} --seed {seed} --jobs 1)");
        return text.ToString();
    }
}
