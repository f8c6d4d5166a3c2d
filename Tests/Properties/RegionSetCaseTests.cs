using Harness.Model;
using Harness.Mutants;
using Harness.Properties;
using Xunit;

namespace Harness.Tests.Properties;

/// <summary>A region set carries its profile, so its file replays under the rules it was checked under.</summary>
public sealed class RegionSetCaseTests
{
    private static readonly ResvRegion[] InsideTheTop =
    [
        new(new IovaRange(0x1000, ulong.MaxValue), IommuProt.None, ResvType.Reserved),
        new(new IovaRange(0x2000, 0x2fff), IommuProt.None, ResvType.Reserved),
    ];

    [Fact]
    public void The_kernel_s_wrapping_merge_is_right_under_linux_and_wrong_under_ideal()
    {
        new RegionSetCase(InsideTheTop, "linux-6.12").CheckSameAsInsertion(MergeBugs.TopEndWraps);
        Assert.Throws<Divergence>(() => new RegionSetCase(InsideTheTop, "ideal").CheckSameAsInsertion(MergeBugs.TopEndWraps));
    }

    [Fact]
    public void A_file_without_a_profile_is_ideal_and_the_generator_records_its_own()
    {
        var file = RegressionFile.Parse("old.json", System.Text.Encoding.UTF8.GetBytes("""
            {"format": "harness-regression-1", "property": "resv.union", "failure": "x", "replay": null,
             "setup": {"regions": [{"start": "0x1000", "last": "0x1fff", "type": "Reserved", "prot": "None"}]}, "ops": []}
            """));
        Assert.Equal("ideal", System.Text.Json.JsonSerializer.Deserialize<RegionSetCase>(file.Setup, HexJson.Options)!.Profile);
        Assert.Null(PropertyCatalogue.Union(KernelProfiles.Linux612).Replay(file));
        var sample = FsCheck.Fluent.Gen.Sample(RegionSetCase.Generator(KernelProfiles.Linux61), 5);
        Assert.All(sample, c => Assert.Equal("linux-6.1", c.Profile));
    }
}
