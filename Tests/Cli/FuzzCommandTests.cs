using Harness.Cli;
using Xunit;

namespace Harness.Tests.Cli;

/// <summary>harness fuzz's argument checks (a whole campaign needs AFL++ and minutes: .ci/run runs one).</summary>
public sealed class FuzzCommandTests
{
    [Fact]
    public void List_names_every_target()
    {
        var result = Cli.Run("fuzz", "--list");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["capchain", "sysfs", "ops"], result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]));
    }

    [Theory]
    [InlineData(new[] { "fuzz" }, "which target?")]
    [InlineData(new[] { "fuzz", "parser" }, "no fuzz target 'parser'")]
    [InlineData(new[] { "fuzz", "ops", "--time", "soon" }, "--time 'soon'")]
    [InlineData(new[] { "fuzz", "ops", "--engine", "honggfuzz" }, "--engine 'honggfuzz'")]
    [InlineData(new[] { "fuzz", "ops", "--jobs", "0" }, "--jobs 0")]
    [InlineData(new[] { "fuzz", "ops", "--planted", "nope" }, "--planted 'nope'")]
    [InlineData(new[] { "fuzz", "sysfs", "--planted", "unmap-bisects" }, "the sysfs target cannot reach it")]
    [InlineData(new[] { "fuzz", "sysfs", "--engine", "libfuzzer", "--host", "b" }, "only AFL++ campaigns share a sync directory")]
    [InlineData(new[] { "fuzz", "sysfs", "--host", "a/b" }, "--host 'a/b'")]
    public void Bad_arguments_are_one_line_and_exit_2(string[] args, string message) =>
        Cli.Run(args).AssertOneLineError(ExitCodes.Usage, message);

    [Fact]
    public void Campaign_state_inside_the_checkout_is_refused()
    {
        string inside = Path.Combine(RepositoryRoot.Path, "findings", "fuzz-state");
        Cli.Run("fuzz", "ops", "--sync", inside).AssertOneLineError(ExitCodes.Usage, "keep campaign state outside the checkout");
    }
}
