namespace Harness.Cli.Fuzzing;

/// <summary>Where a campaign stands, summed over its instances.</summary>
public sealed record FuzzStats(long Execs, double ExecsPerSecond, long Paths, int Crashes, int Hangs, double? Stability, int Instances)
{
    public static FuzzStats None { get; } = new(0, 0, 0, 0, 0, null, 0);
}

/// <summary>A fuzzing engine as a campaign drives it: start, watch, stop, and the engine's own tools for minimizing and merging.</summary>
public interface IFuzzEngine
{
    string Name { get; }

    /// <summary>Launches every instance for <paramref name="budget"/>, resuming the state directory's campaign if there is one.</summary>
    void Start(TimeSpan budget);

    bool Running { get; }

    /// <summary>Called every second while the campaign runs: restart what died early, say so through <paramref name="status"/>.</summary>
    void Supervise(Action<string> status);

    FuzzStats Stats();

    /// <summary>The engine's last complaints from its logs, for a one-line error when it stops early.</summary>
    string LogTail();

    /// <summary>Stops every instance cleanly (SIGINT), so its state can be resumed and its findings triaged.</summary>
    void Stop();

    /// <summary>Inputs that crashed or hung, oldest first.</summary>
    IReadOnlyList<string> Findings();

    /// <summary>Shrinks a crashing input while it still crashes; null if the engine could not.</summary>
    string? Minimize(string crash, string output);

    /// <summary>Adds to <paramref name="corpus"/> the inputs this campaign found that reach new coverage; returns the files added.</summary>
    IReadOnlyList<string> MergeInto(string corpus);
}
