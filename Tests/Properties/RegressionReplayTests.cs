using Harness.Mutants;
using Harness.Properties;
using Xunit;

namespace Harness.Tests.Properties;

/// <summary>Every committed regression file (corpus/regressions/PROPERTY/*.json) replayed step by step: a fixed bug stays fixed.</summary>
public sealed class RegressionReplayTests
{
    public static TheoryData<string> Files()
    {
        var files = new TheoryData<string>();
        string root = RepositoryRoot.Corpus("regressions");
        var paths = Directory.Exists(root) ? Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories) : [];
        foreach (string path in paths.Order(StringComparer.Ordinal))
            files.Add(Path.GetRelativePath(RepositoryRoot.Path, path));
        return files;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Still_passes(string relativePath)
    {
        string path = Path.Combine(RepositoryRoot.Path, relativePath);
        var file = RegressionFile.Parse(path, File.ReadAllBytes(path));
        var property = PropertyCatalogue.Find(file.Property);
        Assert.True(property is not null, $"{relativePath}: unknown property {file.Property}");
        var failure = property.Replay(file);
        Assert.True(failure is null, failure?.Report());
    }

    [Fact]
    public void A_counterexample_survives_a_round_trip_through_its_file()
    {
        var property = PlantedBugs.Find("iova-exact-fit-at-start")!.Property;
        var outcome = property.Check(new CheckSettings(500, 30));
        Assert.NotNull(outcome.Failure);
        using var dir = new Cli.TempDir();
        string saved = outcome.Failure.File.Save(dir.Path);
        var reread = RegressionFile.Parse(saved, File.ReadAllBytes(saved));
        var replayed = property.Replay(reread);
        Assert.NotNull(replayed);
        Assert.Equal(outcome.Failure.Calls, replayed.Calls);
        Assert.Equal(outcome.Failure.Model, replayed.Model);
    }
}
