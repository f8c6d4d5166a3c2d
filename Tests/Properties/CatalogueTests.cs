using Harness.Implementation;
using Harness.Model;
using Harness.Properties;
using Xunit;
using Xunit.Abstractions;

namespace Harness.Tests.Properties;

/// <summary>
/// The CI property run: every catalogue property at the CI budget (HARNESS_BUDGET scales it). A
/// failure is reported in full and saved under findings/regressions/PROPERTY/ (a test run never
/// writes into the corpus: mutation testing runs this thousands of times); commit it by moving it
/// to corpus/regressions/PROPERTY/. Each must also reach, within that budget, every structural
/// event it claims (<see cref="ICheckProperty.Reaches"/>): the budget is a fixed seed, so what it
/// reaches it reaches every time. A property that does not depend on the profile is the same
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
        var property = PropertyCatalogue.For(KernelProfiles.Named(profile)).Single(p => p.Name == name);
        var outcome = StructuralEvents.Counted(() => property.Check(CheckSettings.Ci), out long[] reached);
        output.WriteLine($"{name}: {outcome.Runs} runs, {outcome.Operations} operations");
        if (outcome.Failure is { } failure)
        {
            string saved = failure.File.Save(RepositoryRoot.Findings("regressions"));
            Assert.Fail((failure with { SavedAs = saved }).Report());
        }

        var missed = property.Reaches.Where(e => reached[(int)e] == 0).ToList();
        Assert.True(missed.Count == 0, $"the CI budget never reached {string.Join(", ", missed)}");
    }
}
