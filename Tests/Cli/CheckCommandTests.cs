using Harness.Cli;
using Harness.Model;
using Harness.Properties;
using Xunit;

namespace Harness.Tests.Cli;

public sealed class CheckCommandTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void List_names_every_profile_and_property()
    {
        var result = Cli.Run("check", "--list");
        Assert.Equal(0, result.ExitCode);
        foreach (var profile in KernelProfiles.All)
            Assert.Contains(profile.Name, result.Out, StringComparison.Ordinal);
        foreach (var property in PropertyCatalogue.All)
            Assert.Contains(property.Name, result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(".rcache", result.Out, StringComparison.Ordinal);
        Assert.Contains("allocator.top-down.rcache", Cli.Run("check", "--profile", "ideal", "--list").Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_check_under_a_profile_records_it_in_the_setup()
    {
        var result = Cli.Run("check", "--profile", "linux-6.1", "--time", "2s", "--property", "allocator.top-down", "--regressions", dir.Path);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("passed: 1 properties", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_regression_file_replays_under_the_profile_its_setup_names()
    {
        const string Ops = """[{"op":"alloc","size":"0x9","limitPfn":"0x8","sizeAligned":false}]""";
        string Setup(string profile) => $$"""{"granule":"0x1000","startPfn":"0x1","profile":"{{profile}}"}""";
        string File(string name, string property, string profile) => dir.File(name,
            $$"""{"format":"harness-regression-1","property":"{{property}}","failure":"","setup":{{Setup(profile)}},"ops":{{Ops}}}""");

        Assert.Equal(1, Cli.Run("replay", File("bug.json", "allocator.top-down@iova-retry-pfn-overflow", "linux-6.18")).ExitCode);
        Assert.Equal(0, Cli.Run("replay", File("fixed.json", "allocator.top-down", "linux-6.12")).ExitCode);
        Cli.Run("replay", File("unknown.json", "allocator.top-down", "linux-2.6")).AssertOneLineError(ExitCodes.Usage, "no profile 'linux-2.6'");
    }

    [Fact]
    public void A_short_check_passes_and_prints_the_summary()
    {
        var result = Cli.Run("check", "--time", "2s", "--property", "resv.merge", "--property", "allocator.top-down", "--regressions", dir.Path);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("holds", result.Out, StringComparison.Ordinal);
        Assert.Contains("passed: 2 properties", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_planted_bug_fails_the_check_with_a_report_and_a_replayable_regression_file()
    {
        var result = Cli.Run("check", "--planted", "iova-exact-fit-at-start", "--time", "10s", "--regressions", dir.Path);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("<-- diverges here", result.Out, StringComparison.Ordinal);
        Assert.Contains("replay: harness check --planted iova-exact-fit-at-start --replay ", result.Out, StringComparison.Ordinal);
        string file = Directory.EnumerateFiles(dir.Path, "*.json", SearchOption.AllDirectories).Single();

        var replayed = Cli.Run("replay", file);
        Assert.Equal(1, replayed.ExitCode);
        Assert.Contains("FAILS", replayed.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_replay_seed_reruns_the_failing_case()
    {
        var first = Cli.Run("check", "--planted", "unmap-last-page", "--time", "20s", "--regressions", dir.Path);
        string seed = first.Out.Split('\n').Single(l => l.Contains("--replay ", StringComparison.Ordinal)).Split("--replay ")[1].Trim();
        var again = Cli.Run("check", "--planted", "unmap-last-page", "--replay", seed, "--regressions", dir.Path);
        Assert.Equal(1, again.ExitCode);
        static string[] Calls(string output) => output.Split('\n').Where(l => l.Contains("-> ", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(Calls(first.Out));
        Assert.Equal(Calls(first.Out), Calls(again.Out));
    }

    [Theory]
    [InlineData("--time", "soon", "--time 'soon'")]
    [InlineData("--property", "nonsense", "--property 'nonsense': no such property")]
    [InlineData("--profile", "linux-2.6", "--profile 'linux-2.6': no such profile (known: linux-6.1, linux-6.12, linux-6.18, ideal)")]
    [InlineData("--planted", "nonsense", "--planted 'nonsense': no such planted bug")]
    [InlineData("--seed", "1,2", "--seed '1,2'")]
    [InlineData("--replay", "1,3,5", "--replay needs exactly one --property")]
    public void Bad_values_are_one_line(string option, string value, string expected) =>
        Cli.Run("check", option, value).AssertOneLineError(ExitCodes.Usage, expected);

    [Fact]
    public void Replay_of_a_broken_file_is_one_line()
    {
        Cli.Run("replay", dir.File("broken.json", "{ not json")).AssertOneLineError(ExitCodes.Usage, "broken.json: not a regression file");
        Cli.Run("replay", dir.File("other.json", """{"format":"harness-regression-1","property":"nope","failure":"","setup":{},"ops":[]}""")).AssertOneLineError(ExitCodes.Usage, "unknown property 'nope'");
        Cli.Run("replay", dir.File("wrong.json", """{"format":"harness-regression-1","property":"pagetable","failure":"","setup":{"granule":"0x3"},"ops":[]}""")).AssertOneLineError(ExitCodes.Usage, "fit this property");
    }

    [Fact]
    public void The_committed_regressions_replay_clean() =>
        Assert.Equal(0, Cli.Run("replay", RepositoryRoot.Corpus("regressions")).ExitCode);

    [Fact]
    public void Mutants_hunts_the_chosen_bugs_and_prints_the_table()
    {
        var result = Cli.Run("mutants", "--bug", "unmap-bisects", "--bug", "resv-merge-pre-v5.4", "--time", "20s");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("2 of 2 planted bugs caught", result.Out, StringComparison.Ordinal);
        Assert.Contains("UnmapDma(", result.Out, StringComparison.Ordinal);
    }
}
