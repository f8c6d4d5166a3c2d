using Harness.Cli;
using Harness.Model;
using Harness.Native;
using Harness.Properties;
using Harness.Tests.Cli;
using Xunit;

namespace Harness.Tests.Native;

/// <summary>The parser and group-merge surfaces of native/harness_impl.h: the C examples hold, their planted bugs are caught small.</summary>
public sealed class NativeSurfaceTests
{
    private static readonly CheckSettings Budget = new(200, 60, new ReplaySeed(23, 29, null));

    /// <summary>The chain's first capability pointing back at itself: a cycle-blind walk never ends.</summary>
    private const string SelfLoop = """
        {"format": "harness-regression-1", "property": "capchain.parser", "failure": "hung", "replay": null,
         "setup": {"layout": "Type1V66", "ranges": [], "argsz": 72, "slack": 0, "mutations": [{"kind": "SetU32", "offset": 28, "value": "0x18"}]},
         "ops": []}
        """;

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_chain_parser_example_holds_in_a_child_process_and_in_this_one(bool isolated)
    {
        var library = NativeImplementation.Load(NativeExamples.Library("chain_parser.c"), isolated);
        Assert.True(library.HasCapChainParser);
        Assert.Empty(library.AllocPolicies);
        var outcome = NativeProperties.CapChainParser(library).Check(Budget);
        Assert.True(outcome.Passed, outcome.Failure?.Report());
    }

    [SkippableFact]
    public void A_cycle_blind_walk_is_caught_in_one_parse_and_a_self_loop_hangs_it_until_the_watchdog()
    {
        string path = NativeExamples.Library("chain_parser.c", "PLANT_CYCLE_BLIND");
        using var dir = new TempDir();
        NativeExamples.Caught(path, dir);

        string file = dir.File("self-loop.json", SelfLoop);
        NativeExamples.FailsAgain(path, file, "the implementation hung: no answer after 1 s of its own CPU time (killed)");
        Assert.Equal(ExitCodes.Ok, Cli.Cli.Run("replay", "--native", NativeExamples.Library("chain_parser.c"), file).ExitCode);
    }

    [SkippableFact]
    public void A_parser_trusting_nr_iovas_reads_into_the_guard_page_and_is_a_SIGSEGV_counterexample()
    {
        string path = NativeExamples.Library("chain_parser.c", "PLANT_TRUST_COUNT");
        using var dir = new TempDir();
        var (check, file) = NativeExamples.Caught(path, dir);
        Assert.Contains("the implementation crashed: SIGSEGV", check.Out, StringComparison.Ordinal);
        NativeExamples.FailsAgain(path, file, "SIGSEGV");
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_resv_insert_example_holds_under_ideal(bool isolated)
    {
        var library = NativeImplementation.Load(NativeExamples.Library("resv_insert.c"), isolated);
        Assert.True(library.HasResvMerge);
        var outcome = NativeProperties.ResvMerge(library, library.Profile).Check(Budget);
        Assert.True(outcome.Passed, outcome.Failure?.Report());
    }

    [SkippableFact]
    public void The_kernel_s_top_wrap_is_a_bug_under_ideal_of_at_most_five_regions_and_what_linux_does()
    {
        string path = NativeExamples.Library("resv_insert.c", "PLANT_TOP_WRAP");
        using var dir = new TempDir();
        var (check, file) = NativeExamples.Caught(path, dir);
        Assert.Contains("merged lists differ", check.Out, StringComparison.Ordinal);
        var regions = RegressionFile.Parse(file, File.ReadAllBytes(file)).Setup.GetProperty("regions");
        Assert.InRange(regions.GetArrayLength(), 1, 5);
        Assert.Contains(regions.EnumerateArray(), r => r.GetProperty("last").GetString() == "0xffffffffffffffff");

        var library = NativeImplementation.Load(path);
        Assert.True(NativeProperties.ResvMerge(library, KernelProfiles.Linux612).Check(Budget).Passed);
    }

}
