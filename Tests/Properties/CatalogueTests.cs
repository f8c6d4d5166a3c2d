using Harness.Properties;
using Xunit;
using Xunit.Abstractions;

namespace Harness.Tests.Properties;

/// <summary>The CI property run: every catalogue property at the CI budget (HARNESS_BUDGET scales it).</summary>
public sealed class CatalogueTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names() => new(PropertyCatalogue.All.Select(p => p.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Holds(string name)
    {
        var outcome = PropertyCatalogue.Find(name)!.Check(CheckSettings.Ci);
        output.WriteLine($"{name}: {outcome.Runs} runs, {outcome.Operations} operations");
        Assert.True(outcome.Passed, outcome.Failure?.Report());
    }
}
