using Harness.Fuzz;
using Harness.Mutants;

namespace Harness.Cli.Fuzzing;

public enum FuzzEngineKind
{
    Afl,
    LibFuzzer,
}

/// <summary>
/// One campaign: which target, how long, which engine on how many cores, where its state lives
/// (outside the checkout, so it survives a clean clone and can be shared between hosts), and the
/// checkout whose corpus it reads and whose regressions it writes. A <see cref="Host"/> joins a
/// shared AFL++ sync directory with secondaries only; the host without one runs the main.
/// A <see cref="Native"/> library is fuzzed in place of the implementation (capchain only).
/// </summary>
public sealed record FuzzSettings(
    FuzzTargetInfo Target, TimeSpan Budget, FuzzEngineKind Engine, int Jobs, string StateDirectory, bool Fresh, PlantedBug? Planted, string Checkout, string? Host = null, string? Native = null)
{
    /// <summary>Whether the campaign's coverage is the shipped code's, so new inputs belong in its corpus.</summary>
    public bool MergesCorpus => Planted is null && Native is null;

    public string Seeds => Path.Combine(Checkout, "corpus", Target.Name);

    public string? Dictionary => Path.Combine(Checkout, "corpus", "dict", Target.Name + ".dict") is var path && File.Exists(path) ? path : null;

    /// <summary>
    /// Where minimized crashers go: the corpus (replayed by dotnet test), or findings/ for a
    /// planted bug (it fails forever) and for a native library (its bugs are not this repository's).
    /// </summary>
    public string Regressions =>
        Native is not null ? Path.Combine(Checkout, "findings", "native")
        : Planted is null ? Path.Combine(Checkout, "corpus", "regressions")
        : Path.Combine(Checkout, "findings", "planted-regressions");

    public string BuildDirectory => Local("build");

    /// <summary>A working directory of this host's own under the (possibly shared) state directory.</summary>
    public string Local(string name) => Path.Combine(StateDirectory, Host is null ? name : $"{name}-{Host}");

    /// <summary>The target's arguments after the fuzz assembly: its name, and the planted bug or native library if any.</summary>
    public IReadOnlyList<string> TargetArguments =>
        [Target.Name, .. Planted is null ? [] : new[] { "--planted", Planted.Name }, .. Native is null ? [] : new[] { "--native", Native }];

    /// <summary>~/.cache/harness/fuzz/TARGET (or TARGET@BUG, TARGET@LIBRARY), under XDG_CACHE_HOME when set.</summary>
    public static string DefaultState(string target, PlantedBug? planted, string? native = null)
    {
        string cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        string name = native is not null ? $"{target}@{Path.GetFileNameWithoutExtension(native)}" : planted is null ? target : $"{target}@{planted.Name}";
        return Path.Combine(cache, "harness", "fuzz", name);
    }
}
