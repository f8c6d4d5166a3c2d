using Harness.Model;
using Harness.Mutants;
using Harness.Properties;
using Xunit;
using Xunit.Abstractions;

namespace Harness.Tests.Mutants;

/// <summary>Proof of teeth: every planted bug of docs/SPEC.md §8 is caught, with a short counterexample, within the CI budget.</summary>
public sealed class PlantedBugTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Bugs() => new(PlantedBugs.All.Select(b => b.Name));

    [Theory]
    [MemberData(nameof(Bugs))]
    public void Is_caught_with_a_short_counterexample(string name)
    {
        var hunt = BugHunt.Hunt(PlantedBugs.Find(name)!, Budget);
        Assert.True(hunt.Caught, $"{name} survived {Budget.TotalSeconds} s of its property");
        output.WriteLine($"{name}: caught in {hunt.Elapsed.TotalSeconds:F1} s, {hunt.Length} calls");
        output.WriteLine(hunt.Counterexample!.Report());
        Assert.True(hunt.Length <= 5, hunt.Counterexample.Report());
    }

    [Fact]
    public void The_legacy_allocator_without_a_planted_bug_passes_the_allocator_property()
    {
        var property = PropertyCatalogue.Allocator(AllocPolicy.TopDown, KernelProfiles.Ideal).Against("legacy", s => new LegacyIovaAllocator(s.Domain));
        var outcome = property.Check(new CheckSettings(300, 40));
        Assert.True(outcome.Passed, outcome.Failure?.Report());
    }

    [Fact]
    public void Bug_8_2_returns_the_pfn_the_spec_describes()
    {
        var allocator = new LimitUnderflow(new IovaDomain(0x1000, 1));
        Assert.Equal(Errno.Ok, allocator.Reserve(0, 0));
        Assert.Equal(Errno.Ok, allocator.Alloc(2, 3, true, out ulong first));
        Assert.Equal(2UL, first);
        Assert.Equal(Errno.Ok, allocator.Alloc(2, 3, true, out ulong second));
        Assert.Equal(ulong.MaxValue - 1, second);
    }
}
