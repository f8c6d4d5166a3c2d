using Harness.Properties;
using Xunit;
using Xunit.Abstractions;

namespace Harness.Tests.Properties;

/// <summary>
/// The CI property run: every catalogue property at the CI budget (HARNESS_BUDGET scales it). A
/// failure is reported in full and saved under findings/regressions/PROPERTY/ (a test run never
/// writes into the corpus: mutation testing runs this thousands of times); commit it by moving it
/// to corpus/regressions/PROPERTY/.
/// </summary>
public sealed class CatalogueTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names() => new(PropertyCatalogue.All.Select(p => p.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Holds(string name)
    {
        var outcome = PropertyCatalogue.Find(name)!.Check(CheckSettings.Ci);
        output.WriteLine($"{name}: {outcome.Runs} runs, {outcome.Operations} operations");
        if (outcome.Failure is { } failure)
        {
            string saved = failure.File.Save(RepositoryRoot.Findings("regressions"));
            Assert.Fail((failure with { SavedAs = saved }).Report());
        }
    }
}
