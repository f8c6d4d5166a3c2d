using Harness.Cli;
using Harness.Native;
using Harness.Tests.Cli;
using Xunit;

namespace Harness.Tests.Native;

/// <summary>
/// The C examples of native/examples built with the system compiler, once per test run. Without a
/// compiler the tests that need one are skipped, and say so; CI sets HARNESS_REQUIRE_NATIVE=1
/// after installing gcc, so there a missing compiler fails instead.
/// </summary>
public static class NativeExamples
{
    private static readonly Lazy<string> Directory = new(() => new TempDir().Path);
    private static readonly Dictionary<string, string> Built = [];

    /// <summary>Set by CI once gcc and the kernel sources are installed: what would skip fails instead.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("HARNESS_REQUIRE_NATIVE") == "1";

    /// <summary>native/examples/SOURCE compiled with DEFINES into a shared library, or the test skipped.</summary>
    public static string Library(string source, params string[] defines)
    {
        Skip.IfNot(
            CCompiler.Available() || Required,
            $"no C compiler ({CCompiler.Command}): the native examples need one (apt-get install gcc)");
        string key = string.Join(" ", defines.Prepend(source));
        lock (Built)
        {
            if (!Built.TryGetValue(key, out string? library))
            {
                library = Path.Combine(Directory.Value, $"{Path.GetFileNameWithoutExtension(source)}-{Built.Count}.so");
                CCompiler.SharedLibrary(library, [Path.Combine(CCompiler.NativeDirectory, "examples", source)], [], defines);
                Built[key] = library;
            }

            return library;
        }
    }

    /// <summary>A 20 s check of a planted library fails, leaving one regression file whose replay line carries --native.</summary>
    public static (CliResult Check, string File) Caught(string library, TempDir dir)
    {
        var check = Cli.Cli.Run("check", "--native", library, "--time", "20s", "--seed", "5,7", "--jobs", "1", "--regressions", dir.Path);
        Assert.Equal(ExitCodes.Found, check.ExitCode);
        var file = Assert.Single(System.IO.Directory.GetFiles(dir.Path, "*.json", SearchOption.AllDirectories));
        Assert.Contains($"harness replay --native {library} {file}", check.Out, StringComparison.Ordinal);
        return (check, file);
    }

    /// <summary><c>replay --native</c> of the file fails again, saying <paramref name="why"/>.</summary>
    public static void FailsAgain(string library, string file, string why)
    {
        var replay = Cli.Cli.Run("replay", "--native", library, file);
        Assert.Equal(ExitCodes.Found, replay.ExitCode);
        Assert.Contains(why, replay.Out, StringComparison.Ordinal);
    }
}
