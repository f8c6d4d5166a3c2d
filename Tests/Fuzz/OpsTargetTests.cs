using Harness.Fuzz;
using Harness.Mutants;
using Harness.Properties;
using Xunit;

namespace Harness.Tests.Fuzz;

/// <summary>The ops target's decoder: total, local, bounded; and what a divergence found through it carries.</summary>
public sealed class OpsTargetTests
{
    private const int Surface = 0, Setup = 1, Calls = 9;

    /// <summary>Attach the Arm SMMUv3 group, map four pages at the first valid page, unmap all but the last of them.</summary>
    private static readonly byte[] BisectingUnmap =
    [
        5, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0,
        3, 0, 0, 3, 1, 0, 0, 0,
        9, 0, 0, 0, 0, 5, 0, 0,
    ];

    private static byte[] Corpus(string name) => File.ReadAllBytes(RepositoryRoot.Corpus("ops", name));

    [Fact]
    public void Every_byte_string_is_a_program_the_implementation_runs_as_the_model_does()
    {
        var random = new Random(7);
        var target = new OpsTarget();
        for (int i = 0; i < 600; i++)
        {
            var input = new byte[random.Next(0, OpBytes.MaxLength + 64)];
            random.NextBytes(input);
            Assert.Null(Replay.RunOne(target, input));
        }
    }

    [Fact]
    public void A_changed_argument_byte_changes_that_call_and_leaves_the_calls_before_it()
    {
        byte[] input = Corpus("container-arm.bin");
        byte[] changed = (byte[])input.Clone();
        changed[Calls + (2 * 8) + 3]++;
        var before = new OpsTarget().Describe(input);
        var after = new OpsTarget().Describe(changed);
        Assert.Equal(before.Take(3), after.Take(3));
        Assert.NotEqual(before[3], after[3]);
    }

    [Fact]
    public void Calls_stop_at_the_limit_and_a_short_last_record_is_padded_with_zeros()
    {
        Assert.Equal(1 + OpBytes.MaxCalls, new OpsTarget().Describe(new byte[OpBytes.MaxLength + 800]).Count);
        var padded = new OpsTarget().Describe([.. BisectingUnmap, 3, 0, 0]);
        Assert.Equal(new OpsTarget().Describe([.. BisectingUnmap, 3, 0, 0, 0, 0, 0, 0, 0]), padded);
        Assert.Equal("container: profile ideal, Type1V66 GET_INFO, dma_entry_limit 65535", new OpsTarget().Describe([5])[0]);
        Assert.Single(new OpsTarget().Describe([]));
    }

    [Fact]
    public void Byte_zero_picks_the_surface_and_wraps()
    {
        var surfaces = OpsSurfaces.Create();
        for (int b = 0; b < 2 * surfaces.Count; b++)
            Assert.StartsWith(surfaces[b % surfaces.Count].Name + ":", new OpsTarget().Describe([(byte)b])[0], StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_container_unmaps_as_the_model_does_where_a_planted_bug_bisects()
    {
        Assert.Null(Replay.RunOne(new OpsTarget(), BisectingUnmap));

        var bug = PlantedBugs.Find("unmap-bisects")!;
        var finding = Assert.IsType<FuzzFinding>(Replay.RunOne(FuzzTargets.Find("ops")!.Create(bug), BisectingUnmap));
        var counterexample = finding.Counterexample;
        Assert.Equal("container@unmap-bisects", counterexample.Property);
        Assert.Equal(2, counterexample.FailedStep);
        Assert.StartsWith("UnmapDma(iova 0x0, size 0x3000)", counterexample.Calls[2], StringComparison.Ordinal);
        Assert.NotNull(bug.Property.Replay(counterexample.File));
        Assert.Equal("container@unmap-bisects: results differ at UnmapDma", CrashSignature.Of(finding));
    }

    [Fact]
    public void Triage_shrinks_a_finding_to_the_calls_that_matter_and_keeps_its_signature()
    {
        byte[] padded = [.. BisectingUnmap[..Calls], .. BisectingUnmap[Calls..(Calls + 8)], .. BisectingUnmap[Calls..(Calls + 8)], .. BisectingUnmap[Calls..]];
        var target = FuzzTargets.Find("ops")!.Create(PlantedBugs.Find("unmap-bisects")!);
        var found = Assert.IsType<FuzzFinding>(Replay.RunOne(target, padded));
        Assert.Equal(5, found.Counterexample.Calls.Count);

        var verdict = TriageVerdict.Of(found);
        Assert.Equal(CrashSignature.Of(found), verdict.Signature);
        var shrunk = found.Shrunk().Counterexample;
        Assert.Equal(3, shrunk.Calls.Count);
        Assert.True(shrunk.Shrinks > 0);
        Assert.Equal(3, verdict.Regression!.Value.GetProperty("ops").GetArrayLength());
        Assert.Equal("container@unmap-bisects: results differ at step 2, UnmapDma(iova 0x0, size 0x1000): model EINVAL, implementation Ok unmapped 0x2000", verdict.Summary);
    }

    [Fact]
    public void Crashes_that_differ_only_in_numbers_are_one_signature()
    {
        Assert.Equal(
            CrashSignature.Of(new Divergence("IOVA 0x7ffff000 (0x1000 bytes), allocated from the parsed valid list, does not map: EINVAL")),
            CrashSignature.Of(new Divergence("IOVA 0xffffffffe000 (0x2000 bytes), allocated from the parsed valid list, does not map: EINVAL")));
        Assert.NotEqual(CrashSignature.Of(new Divergence("parsers disagree")), CrashSignature.Of(new Divergence("parsed fields differ")));
        Assert.StartsWith("InvalidOperationException at ", CrashSignature.Of(Thrown()), StringComparison.Ordinal);
    }

    private static Exception Thrown()
    {
        try
        {
            throw new InvalidOperationException("boom");
        }
        catch (InvalidOperationException e)
        {
            return e;
        }
    }

    [Fact]
    public void Only_machine_bugs_can_be_planted_in_the_ops_target()
    {
        var ops = FuzzTargets.Find("ops")!;
        Assert.True(ops.CanPlant(PlantedBugs.Find("iova-exact-fit-at-start")!));
        Assert.True(ops.CanPlant(PlantedBugs.Find("pgtable-unmap-drops-block")!));
        Assert.False(ops.CanPlant(PlantedBugs.Find("parser-backward-next-loops")!));
        Assert.False(FuzzTargets.Find("capchain")!.CanPlant(PlantedBugs.Find("unmap-bisects")!));
    }

    [Fact]
    public void Triage_mode_prints_one_line_of_JSON_with_the_signature_and_the_calls()
    {
        string file = Path.Combine(Path.GetTempPath(), $"harness-ops-{Guid.NewGuid():N}");
        File.WriteAllBytes(file, BisectingUnmap);
        try
        {
            var output = new StringWriter();
            Assert.Equal(0, FuzzMain.Run(["ops", "--planted", "unmap-bisects", "--triage", file], output, TextWriter.Null));
            string line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            var verdict = TriageVerdict.FromJson(line)!;
            Assert.True(verdict.Crashed);
            Assert.Equal("container@unmap-bisects: results differ at UnmapDma", verdict.Signature);
            var regression = RegressionFile.Parse(file, System.Text.Encoding.UTF8.GetBytes(verdict.Regression!.Value.GetRawText()));
            Assert.Equal("container@unmap-bisects", regression.Property);

            output = new StringWriter();
            Assert.Equal(0, FuzzMain.Run(["ops", "--triage", file], output, TextWriter.Null));
            Assert.False(TriageVerdict.FromJson(output.ToString().Trim())!.Crashed);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(new[] { "nope" }, "usage: Harness.Fuzz TARGET")]
    [InlineData(new[] { "ops", "--planted", "nope", "/" }, "--planted needs one of")]
    [InlineData(new[] { "capchain", "--planted", "unmap-bisects", "/" }, "cannot reach planted bug unmap-bisects")]
    [InlineData(new[] { "ops", "--planted" }, "--planted needs a bug name")]
    [InlineData(new[] { "ops", "/no/such/file" }, "/no/such/file: no such file or directory")]
    public void The_fuzz_exe_says_what_is_wrong_with_its_arguments(string[] args, string message)
    {
        var error = new StringWriter();
        Assert.Equal(2, FuzzMain.Run(args, TextWriter.Null, error));
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }
}
