using Harness.Cli;
using Harness.Model;
using Harness.Native;
using Harness.Properties;
using Harness.Tests.Cli;
using Xunit;

namespace Harness.Tests.Native;

/// <summary>A native allocator behind native/harness_impl.h under the catalogue's properties: the correct example holds, the planted one is caught small.</summary>
public sealed class NativeCheckTests
{
    private static readonly CheckSettings Budget = new(200, 60, new ReplaySeed(11, 13, null));

    [SkippableFact]
    public void The_list_allocator_example_holds_under_the_profile_it_claims()
    {
        var library = NativeImplementation.Load(NativeExamples.Library("list_allocator.c"));
        Assert.Equal(KernelProfiles.Ideal, library.Profile);
        Assert.Equal([AllocPolicy.TopDown], library.AllocPolicies);
        var outcome = NativeProperties.Allocator(library, AllocPolicy.TopDown, library.Profile).Check(Budget);
        Assert.True(outcome.Passed, outcome.Failure?.Report());
        Assert.True(outcome.Operations > 1000);
    }

    [SkippableFact]
    public void The_planted_off_by_one_is_caught_with_at_most_five_calls_and_replays_from_its_file()
    {
        string path = NativeExamples.Library("list_allocator.c", "PLANT_OFF_BY_ONE");
        using var dir = new TempDir();
        var (_, file) = CaughtSmall(path, dir);

        Assert.Equal(ExitCodes.Found, Cli.Cli.Run("replay", "--native", path, file).ExitCode);
        Assert.Equal(ExitCodes.Ok, Cli.Cli.Run("replay", "--native", NativeExamples.Library("list_allocator.c"), file).ExitCode);
    }

    [SkippableFact]
    public void In_a_child_process_the_list_allocator_holds_too()
    {
        var library = NativeImplementation.Load(NativeExamples.Library("list_allocator.c"), isolated: true);
        var outcome = NativeProperties.Allocator(library, AllocPolicy.TopDown, library.Profile).Check(new CheckSettings(50, 60, new ReplaySeed(17, 19, null)));
        Assert.True(outcome.Passed, outcome.Failure?.Report());
    }

    [SkippableFact]
    public void A_library_that_crashes_is_a_counterexample_of_at_most_five_calls_and_the_run_goes_on()
    {
        string path = NativeExamples.Library("list_allocator.c", "PLANT_CRASH");
        using var dir = new TempDir();
        var (check, file) = CaughtSmall(path, dir);
        Assert.Contains("the implementation crashed: SIGSEGV", check.Out, StringComparison.Ordinal);
        NativeExamples.FailsAgain(path, file, "SIGSEGV");
    }

    [SkippableFact]
    public void A_library_that_hangs_is_killed_by_the_watchdog_and_is_a_counterexample()
    {
        string path = NativeExamples.Library("list_allocator.c", "PLANT_HANG");
        using var dir = new TempDir();
        string file = dir.File("hang.json", """
            {"format": "harness-regression-1", "property": "allocator.top-down", "failure": "step 0: hung", "replay": null,
             "setup": {"granule": "0x1000", "startPfn": "0x0", "profile": "ideal"},
             "ops": [{"op": "alloc", "size": "0x8000000000000001", "limitPfn": "0x0", "sizeAligned": true}]}
            """);
        NativeExamples.FailsAgain(path, file, "the implementation hung: no answer after 1 s of its own CPU time (killed)");
        Assert.Equal(ExitCodes.Ok, Cli.Cli.Run("replay", "--native", NativeExamples.Library("list_allocator.c"), file).ExitCode);
    }

    [SkippableFact]
    public void The_model_with_the_wrong_profile_is_a_divergence_not_a_pass()
    {
        // The ideal list allocator is not iova.c: held to linux-6.1 it must diverge.
        var library = NativeImplementation.Load(NativeExamples.Library("list_allocator.c"));
        var outcome = NativeProperties.Allocator(library, AllocPolicy.TopDown, KernelProfiles.Linux61).Check(Budget);
        Assert.NotNull(outcome.Failure);
    }

    /// <summary>A planted library's check fails with one regression file of at most 5 calls.</summary>
    private static (CliResult Check, string File) CaughtSmall(string library, TempDir dir)
    {
        var (check, file) = NativeExamples.Caught(library, dir);
        Assert.InRange(RegressionFile.Parse(file, File.ReadAllBytes(file)).Ops.GetArrayLength(), 1, 5);
        return (check, file);
    }

    [Fact]
    public void A_library_that_is_not_one_is_a_one_line_usage_error()
    {
        using var dir = new TempDir();
        Cli.Cli.Run("check", "--native", dir.File("not.so", "text")).AssertOneLineError(ExitCodes.Usage, "not a shared library");
        Cli.Cli.Run("check", "--native", Path.Combine(dir.Path, "missing.so")).AssertOneLineError(ExitCodes.Usage, "no such file");
        Cli.Cli.Run("replay", "--native", Path.Combine(dir.Path, "missing.so"), "x.json").AssertOneLineError(ExitCodes.Usage, "no such file");
    }

    [SkippableFact]
    public void A_library_that_crashes_as_it_loads_is_a_one_line_usage_error_and_the_harness_lives()
    {
        string library = NativeExamples.Library("list_allocator.c", "PLANT_CRASH_ON_LOAD");
        Cli.Cli.Run("check", "--native", library, "--time", "1s").AssertOneLineError(ExitCodes.Usage, "crashed with signal 11 while loading");
    }

    [SkippableFact]
    public void A_library_without_the_descriptor_is_a_one_line_usage_error()
    {
        using var dir = new TempDir();
        string library = Path.Combine(dir.Path, "slab.so");
        NativeExamples.Library("list_allocator.c");
        CCompiler.SharedLibrary(library, [Path.Combine(CCompiler.NativeDirectory, "linux-compat", "harness_slab.c")], [], []);
        Cli.Cli.Run("check", "--native", library).AssertOneLineError(ExitCodes.Usage, "exports no harness_impl_describe()");
    }

    [SkippableFact]
    public void Planted_and_native_together_are_a_usage_error()
    {
        Cli.Cli.Run("check", "--native", NativeExamples.Library("list_allocator.c"), "--planted", "iova-retry-pfn-overflow")
            .AssertOneLineError(ExitCodes.Usage, "--native does not apply");
    }
}
