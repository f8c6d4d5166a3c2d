using Harness.Cli;
using Xunit;

namespace Harness.Tests.Cli;

/// <summary>
/// The CLI's contract, each finding of the reliability review run against the built harness in
/// its own process: the documented exit code and one clear line, never a stack trace or a bug
/// report from harness itself.
/// </summary>
public sealed class ReliabilityTests : IDisposable
{
    private const string Header = """{ "format": "harness-regression-1", "property": "pagetable", """;

    private const string Setup = """ "setup": { "granule": "0x1000", "ias": 39, "softwareBlocks": false }, """;

    private const string MapCall = """{ "op": "map", "iova": "0x7fffffc000", "phys": "0x0", "size": "0x1000", "prot": "Read, Write" }""";

    private const string PageTableFile = Header + Setup + """ "ops": [ """ + MapCall + " ] }";

    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Fuzz_arguments_are_checked_before_any_tool_is_looked_up()
    {
        BuiltCli.Run("fuzz", "sysfs", "--host", "a/b").AssertOneLineError(ExitCodes.Usage, "--host 'a/b'");
        BuiltCli.Run("fuzz", "sysfs", "--engine", "libfuzzer", "--time", "never").AssertOneLineError(ExitCodes.Usage, "--time 'never'");
        BuiltCli.Run("fuzz", "capchain", "--sync", Path.Combine(dir.Path, "state")).AssertOneLineError(ExitCodes.Usage, "afl-fuzz not found");
    }

    [Fact]
    public void The_untranslated_doorbell_regression_replays_clean() =>
        Assert.Equal(ExitCodes.Ok, BuiltCli.Run("replay", RepositoryRoot.Corpus("regressions", "end-to-end", "untranslated-doorbell-in-dma.json")).ExitCode);

    [Fact]
    public void A_model_that_throws_on_a_call_is_a_harness_error_with_its_calls()
    {
        string file = dir.File("platform.json", """
            { "format": "harness-regression-1", "property": "end-to-end", "setup": { "layout": "Type1V66" },
              "ops": [ { "op": "attachPlatform", "platform": -1, "groupId": 1 } ] }
            """);
        var result = BuiltCli.Run("replay", file);
        Assert.Equal(ExitCodes.Internal, result.ExitCode);
        Assert.Contains("HARNESS ERROR the model threw", result.Out, StringComparison.Ordinal);
        Assert.Contains("<-- the harness failed here", result.Out, StringComparison.Ordinal);
        Assert.Contains("1 harness errors", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Out + result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BuiltCli.Sigint)]
    [InlineData(BuiltCli.Sigterm)]
    public void A_signal_stops_check_with_the_summary_and_130(int signal)
    {
        var (result, stopping) = BuiltCli.Interrupt(["check", "--time", "5m", "-p", "allocator.top-down", "-p", "container", "--regressions", dir.Path], "seed ", signal);
        Assert.Equal(ExitCodes.Interrupted, result.ExitCode);
        Assert.Contains("holds", result.Out, StringComparison.Ordinal);
        Assert.Contains("INTERRUPTED: 2 properties", result.Out, StringComparison.Ordinal);
        Assert.True(stopping < TimeSpan.FromSeconds(15), $"took {stopping} to stop");
    }

    /// <summary>timeout(1) sends its signal to the process and then to its group: one interruption, delivered twice.</summary>
    [Fact]
    public void A_signal_delivered_twice_at_once_is_one_interruption()
    {
        var (result, _) = BuiltCli.Interrupt(["check", "--time", "5m", "-p", "container", "--regressions", dir.Path], "seed ", BuiltCli.Sigint, times: 2);
        Assert.Equal(ExitCodes.Interrupted, result.ExitCode);
        Assert.Contains("INTERRUPTED: 1 properties", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signal_stops_mutants_with_the_table_and_130()
    {
        var (result, _) = BuiltCli.Interrupt(["mutants", "--time", "5m", "--jobs", "1"], "hunting ", BuiltCli.Sigint);
        Assert.Equal(ExitCodes.Interrupted, result.ExitCode);
        Assert.Contains("planted bugs caught; INTERRUPTED, not caught yet: ", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signal_stops_replay_of_a_directory_with_the_counts_and_130()
    {
        for (int i = 0; i < 20000; i++)
            dir.File($"case-{i:D5}.json", PageTableFile);
        var (result, _) = BuiltCli.Interrupt(["replay", dir.Path], "ok ", BuiltCli.Sigint);
        Assert.Equal(ExitCodes.Interrupted, result.ExitCode);
        Assert.Contains("INTERRUPTED", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("decode", "/dev/zero", "more than 16 MiB, the most harness reads of a GET_INFO buffer")]
    [InlineData("decode", "/dev/urandom", "more than 16 MiB")]
    [InlineData("decode --sysfs", "/dev/zero", "more than 16 MiB, the most harness reads of a reserved_regions file")]
    [InlineData("decode --ops", "/dev/urandom", "more than 1 MiB, the most harness reads of an ops input")]
    [InlineData("resv", "/dev/zero", "more than 16 MiB")]
    [InlineData("replay", "/dev/zero", "more than 16 MiB, the most harness reads of a regression file")]
    [InlineData("replay", "/dev/null", "/dev/null: not a regression file")]
    public void Devices_are_read_in_bounded_memory(string verb, string path, string expected) =>
        BuiltCli.Run([.. verb.Split(' '), path]).AssertOneLineError(ExitCodes.Usage, expected);

    [Fact]
    public void Dash_reads_standard_input()
    {
        string info = Path.Combine(dir.Path, "info.bin");
        Assert.Equal(ExitCodes.Ok, BuiltCli.Run("encode", "--range", "0x0-0xfff", "-o", info).ExitCode);
        var decoded = BuiltCli.Run(["decode", "-"], stdin: info);
        Assert.Equal(ExitCodes.Ok, decoded.ExitCode);
        Assert.Contains("IOVA_RANGE", decoded.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check", "--time", "99999999999h", "--time '99999999999h'")]
    [InlineData("mutants", "--time", "99999999999h", "--time '99999999999h'")]
    [InlineData("fuzz", "ops --time", "1e308", "--time '1e308'")]
    [InlineData("check", "--runs", "0", "--runs '0'")]
    [InlineData("check", "--seed", "1,2", "--seed '1,2'")]
    [InlineData("encode", "-o", "", "-o ''")]
    public void Out_of_range_values_are_usage_errors(string verb, string option, string value, string expected) =>
        BuiltCli.Run([verb, .. option.Split(' '), value]).AssertOneLineError(ExitCodes.Usage, expected);

    [Fact]
    public void Encode_writes_through_a_symlink_and_keeps_it()
    {
        string target = dir.File("target.bin", "old");
        string link = Path.Combine(dir.Path, "link.bin");
        File.CreateSymbolicLink(link, target);
        Assert.Equal(ExitCodes.Ok, BuiltCli.Run("encode", "--range", "0x0-0xfff", "-o", link).ExitCode);
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal(104, new FileInfo(target).Length);
    }

    [Fact]
    public void Encode_to_a_device_writes_in_place_and_never_replaces_it()
    {
        BuiltCli.Run("encode", "--range", "0x0-0xfff", "-o", "/dev/full").AssertOneLineError(ExitCodes.Usage, "/dev/full: cannot write");
        Assert.Equal(FileKind.Special, FileKinds.Of("/dev/full"));
        Assert.Equal(ExitCodes.Ok, BuiltCli.Run("encode", "--range", "0x0-0xfff", "-o", "/dev/null").ExitCode);
        Assert.Equal(FileKind.Special, FileKinds.Of("/dev/null"));
    }

    [Fact]
    public void Encode_to_dash_and_to_dev_stdout_writes_standard_output_only()
    {
        foreach (string name in new[] { "-", "/dev/stdout" })
        {
            var result = BuiltCli.Run(["encode", "--range", "0x0-0xfff", "-o", name], stdin: null, workingDirectory: dir.Path);
            Assert.Equal(ExitCodes.Ok, result.ExitCode);
            Assert.Equal(104, System.Text.Encoding.Latin1.GetByteCount(result.Out));
            Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
        }
    }

    [Theory]
    [InlineData("""{ "op": "map", "phys": "0x0", "size": "0x1000", "prot": "Read, Write" }""", "iova")]
    [InlineData("""{ "op": "map", "iova": null, "phys": "0x0", "size": "0x1000", "prot": "Read, Write" }""", "iova")]
    [InlineData("""{ "op": "map", "iova": "0x0", "phys": "0x0", "size": "0x1000", "prot": "Read, Write", "extra": 1 }""", "extra")]
    [InlineData("null", "ops[0] is null")]
    [InlineData("""{ "op": "remap", "iova": "0x0" }""", "remap")]
    public void Hand_edited_calls_are_rejected_naming_the_field(string call, string expected) =>
        BuiltCli.Run("replay", dir.File("edited.json", Header + Setup + $$""" "ops": [ {{call}} ] }"""))
            .AssertOneLineError(ExitCodes.Usage, expected);

    [Theory]
    [InlineData(Setup + """ "ops": [] """, "ops is empty")]
    [InlineData(Setup + """ "ops": {} """, "ops must be an array")]
    [InlineData(""" "setup": { "granule": "0x1000", "ias": 39 }, "ops": [ { "op": "translate", "iova": "0x0" } ] """, "softwareBlocks")]
    [InlineData(""" "ops": [ { "op": "translate", "iova": "0x0" } ] """, "setup")]
    public void Hand_edited_files_are_rejected_naming_the_field(string body, string expected) =>
        BuiltCli.Run("replay", dir.File("edited.json", Header + body + "}")).AssertOneLineError(ExitCodes.Usage, expected);

    [Fact]
    public void A_format_of_another_version_is_rejected() =>
        BuiltCli.Run("replay", dir.File("v2.json", PageTableFile.Replace("harness-regression-1", "harness-regression-2", StringComparison.Ordinal)))
            .AssertOneLineError(ExitCodes.Usage, "format 'harness-regression-2'");

    [Fact]
    public void Replay_of_a_directory_goes_past_a_bad_file_and_counts_every_kind()
    {
        dir.File("a-good.json", PageTableFile);
        dir.File("b-truncated.json", PageTableFile[..40]);
        dir.File("c-good.json", PageTableFile);
        var result = BuiltCli.Run("replay", dir.Path);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("c-good.json", result.Out, StringComparison.Ordinal);
        Assert.Contains("3 regression files: 2 passing, 0 failing, 1 rejected, 0 harness errors", result.Out, StringComparison.Ordinal);
        Assert.Contains("b-truncated.json", Assert.Single(result.Err.TrimEnd('\n').Split('\n')), StringComparison.Ordinal);
    }

    [Fact]
    public void A_still_failing_regression_is_1_and_a_broken_one_2()
    {
        var check = BuiltCli.Run("check", "--planted", "iova-exact-fit-at-start", "--time", "20s", "--regressions", dir.Path);
        Assert.Equal(ExitCodes.Found, check.ExitCode);
        string failing = Directory.EnumerateFiles(dir.Path, "*.json", SearchOption.AllDirectories).Single();
        Assert.Equal(ExitCodes.Found, BuiltCli.Run("replay", failing).ExitCode);
        BuiltCli.Run("replay", dir.File("broken.json", "{")).AssertOneLineError(ExitCodes.Usage, "not a regression file");
    }

    [Fact]
    public void Check_prints_its_seed_and_runs_a_counted_budget_repeatably()
    {
        string[] args = ["check", "--runs", "80", "--seed", "42,7", "--jobs", "1", "-p", "allocator.top-down", "-p", "resv.union", "--regressions", dir.Path];
        var first = BuiltCli.Run(args);
        var second = BuiltCli.Run(args);
        Assert.Equal(ExitCodes.Ok, first.ExitCode);
        Assert.StartsWith("seed 42,7 ", first.Out, StringComparison.Ordinal);
        static string Counts(string output) => string.Join('\n', output.Split('\n').Where(l => l.Contains("allocator.top-down", StringComparison.Ordinal) || l.Contains("resv.union", StringComparison.Ordinal)).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(4))));
        Assert.Contains("80", Counts(first.Out), StringComparison.Ordinal);
        Assert.Equal(Counts(first.Out), Counts(second.Out));
    }

    [Fact]
    public void Check_writes_a_junit_report_with_one_case_per_property()
    {
        string report = Path.Combine(dir.Path, "report.xml");
        var result = BuiltCli.Run("check", "--planted", "iova-exact-fit-at-start", "--time", "20s", "--regressions", dir.Path, "--junit", report);
        Assert.Equal(ExitCodes.Found, result.ExitCode);
        var suite = System.Xml.Linq.XDocument.Load(report).Root!.Element("testsuite")!;
        Assert.Equal("1", suite.Attribute("failures")!.Value);
        var testcase = Assert.Single(suite.Elements("testcase"));
        Assert.Contains("<-- diverges here", testcase.Element("failure")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_the_user_reads_points_outside_the_repository()
    {
        var help = string.Concat(new[] { "--help", "check --help", "mutants --help", "fuzz --help", "replay --help", "decode --help", "encode --help", "resv --help" }
            .Select(args => Cli.Run(args.Split(' ')).Out));
        var sources = Directory.EnumerateFiles(RepositoryRoot.Path, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".md", StringComparison.Ordinal) || f.EndsWith(".sh", StringComparison.Ordinal))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/.git/", StringComparison.Ordinal) && !f.EndsWith(nameof(ReliabilityTests) + ".cs", StringComparison.Ordinal));
        Assert.DoesNotContain("../shared", help, StringComparison.Ordinal);
        foreach (string file in sources)
            Assert.False(File.ReadAllText(file).Contains("../shared", StringComparison.Ordinal), $"{file} points at ../shared");
        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, "docs", "SPEC.md")));
    }
}
