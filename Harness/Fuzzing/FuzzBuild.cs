using Harness.Cli;

namespace Harness.Cli.Fuzzing;

/// <summary>
/// The binaries of a campaign: the fuzz exe published twice, once as is (for replaying crashes)
/// and once with only the code under test instrumented by SharpFuzz (Harness.Implementation.dll,
/// plus Harness.Mutants.dll when a planted bug is the subject; for a native library,
/// Harness.Model.dll, so the reference parser's paths steer the fuzzer even when the library
/// brings no coverage of its own); and for libFuzzer our driver.
/// </summary>
public sealed class FuzzBuild
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    private FuzzBuild(string plain, string instrumented, string? driver)
    {
        PlainDll = Path.Combine(plain, "Harness.Fuzz.dll");
        InstrumentedDll = Path.Combine(instrumented, "Harness.Fuzz.dll");
        Driver = driver;
    }

    public string PlainDll { get; }

    public string InstrumentedDll { get; }

    /// <summary>The libFuzzer driver executable, for the libFuzzer engine.</summary>
    public string? Driver { get; }

    /// <summary>clang 14, whose libFuzzer runtime Debian ships as libclang-rt-14-dev; the default clang otherwise.</summary>
    public static string Clang => ChildProcess.Which("clang-14") is not null ? "clang-14" : "clang";

    public static FuzzBuild Make(FuzzSettings settings, Action<string> status)
    {
        string root = settings.BuildDirectory;
        string plain = Path.Combine(root, "plain"), instrumented = Path.Combine(root, "instrumented");
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);

        status("publishing the fuzz targets");
        Check("dotnet publish", ChildProcess.Run(
            ChildProcess.Info("dotnet", ["publish", Path.Combine(settings.Checkout, "Fuzz"), "-c", "Release", "-o", plain, "--nologo", "-v", "quiet"], settings.Checkout),
            BuildTimeout));
        CopyDirectory(plain, instrumented);

        status("instrumenting the code under test");
        Check("dotnet tool restore", ChildProcess.Run(ChildProcess.Info("dotnet", ["tool", "restore"], settings.Checkout), BuildTimeout));
        string[] underTest =
            settings.Native is not null ? ["Harness.Model.dll"]
            : settings.Planted is null ? ["Harness.Implementation.dll"]
            : ["Harness.Implementation.dll", "Harness.Mutants.dll"];
        foreach (string assembly in underTest)
        {
            Check($"sharpfuzz {assembly}", ChildProcess.Run(
                ChildProcess.Info("dotnet", ["tool", "run", "sharpfuzz", Path.Combine(instrumented, assembly)], settings.Checkout), BuildTimeout));
        }

        string? driver = null;
        if (settings.Engine == FuzzEngineKind.LibFuzzer)
        {
            status("building the libFuzzer driver");
            driver = Path.Combine(root, "libfuzzer-dotnet");
            var clang = ChildProcess.Run(
                ChildProcess.Info(Clang, ["-O2", "-fsanitize=fuzzer", Path.Combine(settings.Checkout, "Fuzz", "libfuzzer", "driver.c"), "-o", driver], settings.Checkout),
                BuildTimeout);
            if (clang.ExitCode != 0)
                throw new CliException($"clang -fsanitize=fuzzer failed (apt-get install clang libclang-rt-14-dev): {clang.LastLine}");
        }

        return new FuzzBuild(plain, instrumented, driver);
    }

    private static void Check(string what, ChildResult result)
    {
        if (result.ExitCode != 0)
            throw new CliException($"{what} failed{(result.TimedOut ? " (timed out)" : "")}: {result.LastLine}", ExitCodes.Internal);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (string directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        Directory.CreateDirectory(to);
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
