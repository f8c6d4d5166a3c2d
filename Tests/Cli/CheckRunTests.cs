using FsCheck.Fluent;
using Harness.Cli.Checking;
using Harness.Model;
using Harness.Properties;
using Spectre.Console;
using Xunit;

namespace Harness.Tests.Cli;

/// <summary>The runner never loses a run: a property whose own generator throws is that property's harness error, with its seed; the others go on.</summary>
public sealed class CheckRunTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private static ForAllProperty<int> Broken { get; } = new(
        "broken-generator",
        "a generator that throws",
        Gen.Choose(0, 9).Select(i => i >= 0 ? throw new InvalidOperationException("the generator broke") : i),
        _ => [],
        _ => { });

    [Fact]
    public void A_throwing_generator_is_its_property_s_harness_error_and_the_others_run_to_their_budget()
    {
        var start = new ReplaySeed(42, 7);
        var check = new CheckRun([Broken, PropertyCatalogue.Merge(KernelProfiles.Default)], new CheckBudget(TimeSpan.FromMinutes(2), 400), 2, start, dir.Path);
        check.Run(CancellationToken.None);

        var fault = Assert.IsType<HarnessFault>(check.Tallies[0].Fault);
        Assert.Contains("the generator broke", fault.Report(), StringComparison.Ordinal);
        Assert.NotNull(fault.Seed);
        Assert.Equal(start.Gamma, fault.Seed!.Value.Gamma);
        Assert.Null(check.Tallies[1].Fault);
        Assert.Null(check.Tallies[1].Failure);
        Assert.Equal(400, check.Tallies[1].Runs);
        Assert.True(check.Faulted);
        Assert.False(check.Interrupted);
    }

    [Fact]
    public void The_summary_names_the_harness_error_and_the_seed()
    {
        var check = new CheckRun([Broken], new CheckBudget(TimeSpan.FromSeconds(30), 40), 1, new ReplaySeed(5, 3), dir.Path);
        check.Run(CancellationToken.None);
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        CheckDisplay.Summary(console, check);
        Assert.Contains("HARNESS ERROR", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("seed: 5,3 (harness check --property broken-generator --seed 5,3 --jobs 1)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("at Harness.Tests.Cli.CheckRunTests", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_interrupted_run_says_so()
    {
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        var check = new CheckRun([PropertyCatalogue.Merge(KernelProfiles.Default)], new CheckBudget(TimeSpan.FromSeconds(30), null), 1, new ReplaySeed(5, 3), dir.Path);
        check.Run(stop.Token);
        Assert.True(check.Interrupted);
        Assert.Equal(0, check.Runs);
    }
}
