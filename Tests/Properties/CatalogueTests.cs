using Harness.Model;
using Harness.Properties;
using Xunit;
using Xunit.Abstractions;

namespace Harness.Tests.Properties;

/// <summary>
/// The CI property run: every catalogue property at the CI budget (HARNESS_BUDGET scales it). A
/// failure is reported in full and saved under findings/regressions/PROPERTY/ (a test run never
/// writes into the corpus: mutation testing runs this thousands of times); commit it by moving it
/// to corpus/regressions/PROPERTY/. A property that does not depend on the profile is the same
/// object in every profile's catalogue and runs once.
/// </summary>
public sealed class CatalogueTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        var seen = new HashSet<ICheckProperty>(ReferenceEqualityComparer.Instance);
        foreach (var profile in KernelProfiles.All)
        {
            foreach (var property in PropertyCatalogue.For(profile).Where(seen.Add))
                cases.Add(profile.Name, property.Name);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Holds(string profile, string name)
    {
        var outcome = PropertyCatalogue.For(KernelProfiles.Named(profile)).Single(p => p.Name == name).Check(CheckSettings.Ci);
        output.WriteLine($"{name}: {outcome.Runs} runs, {outcome.Operations} operations");
        if (outcome.Failure is { } failure)
        {
            string saved = failure.File.Save(RepositoryRoot.Findings("regressions"));
            Assert.Fail((failure with { SavedAs = saved }).Report());
        }
    }
}
