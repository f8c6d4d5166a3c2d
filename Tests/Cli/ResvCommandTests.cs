using Harness.Cli;
using System.Text.Json;
using Harness.Model;
using Xunit;

namespace Harness.Tests.Cli;

public sealed class ResvCommandTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private string Platform(ReferencePlatform platform) => dir.File(platform.Name, platform.Sysfs);

    [Fact]
    public void Arm_SMMUv3_leaves_the_space_around_the_msi_window()
    {
        var result = Cli.Run("resv", Platform(ReferencePlatform.ArmSmmuV3));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            """
            reserved regions, merged (1):
              0x0000000008000000 0x00000000080fffff msi
            valid IOVA ranges in aperture 0x0000000000000000-0xffffffffffffffff (2):
              0x0000000000000000 0x0000000007ffffff
              0x0000000008100000 0xffffffffffffffff

            """,
            result.Out);
    }

    [Fact]
    public void Intel_and_AMD_files_merge_as_one_group_inside_a_48_bit_aperture()
    {
        var result = Cli.Run("resv", "--aperture", "0x0-0xffffffffffff", Platform(ReferencePlatform.IntelVtd), Platform(ReferencePlatform.AmdVi));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            """
            reserved regions, merged (4):
              0x0000000000000000 0x0000000000ffffff direct-relaxable
              0x000000003e2e0000 0x000000003e2fffff direct
              0x00000000fee00000 0x00000000feefffff msi
              0x000000fd00000000 0x000000ffffffffff reserved
            valid IOVA ranges in aperture 0x0000000000000000-0x0000ffffffffffff (4):
              0x0000000000000000 0x000000003e2dffff
              0x000000003e300000 0x00000000fedfffff
              0x00000000fef00000 0x000000fcffffffff
              0x0000010000000000 0x0000ffffffffffff

            """,
            result.Out);
    }

    [Fact]
    public void The_iommufd_mock_aperture_excludes_nothing_inside_it()
    {
        var result = Cli.Run("resv", "--aperture", "0x1000000-0x7fffffff", Platform(ReferencePlatform.IommufdMock));
        Assert.Contains("valid IOVA ranges in aperture 0x0000000001000000-0x000000007fffffff (1):\n  0x0000000001000000 0x000000007fffffff\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_lists_regions_and_valid_ranges_with_hex_strings()
    {
        var result = Cli.Run("resv", "--json", Platform(ReferencePlatform.AmdVi));
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        var regions = doc.RootElement.GetProperty("regions");
        Assert.Equal(2, regions.GetArrayLength());
        Assert.Equal("0x000000fd00000000", regions[1].GetProperty("start").GetString());
        Assert.Equal("0x000000ffffffffff", regions[1].GetProperty("last").GetString());
        Assert.Equal("reserved", regions[1].GetProperty("type").GetString());
        var valid = doc.RootElement.GetProperty("valid");
        Assert.Equal(3, valid.GetArrayLength());
        Assert.Equal("0xffffffffffffffff", valid[2].GetProperty("last").GetString());
    }

    [Fact]
    public void An_empty_file_is_a_group_without_regions()
    {
        var result = Cli.Run("resv", "--aperture", "0x1000-0x1fff", dir.File("empty", ""));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("merged (0)", result.Out, StringComparison.Ordinal);
        Assert.Contains("  0x0000000000001000 0x0000000000001fff\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_file_names_the_file_line_and_problem()
    {
        string path = dir.File("bad", "0x0000000008000000 0x00000000080fffff msi\n0x0000000008000000 0x00000000080fffff gizmo\n");
        Cli.Run("resv", path).AssertOneLineError(ExitCodes.Usage, $"{path}:2: unknown region type 'gizmo'");
    }

    [Fact]
    public void A_binary_file_is_rejected_cleanly() =>
        Cli.Run("resv", dir.File("bin", new byte[] { 0x7f, 0x45, 0x4c, 0x46, 0, 1, 2 })).AssertOneLineError(ExitCodes.Usage, "unexpected byte 0x7f");

    [Fact]
    public void A_missing_file_is_one_line() =>
        Cli.Run("resv", Path.Combine(dir.Path, "absent")).AssertOneLineError(ExitCodes.Usage, "absent: no such file");

    [Fact]
    public void A_directory_is_one_line() =>
        Cli.Run("resv", dir.Path).AssertOneLineError(ExitCodes.Usage, "is a directory");

    [Theory]
    [InlineData("0x5000-0x4000")]
    [InlineData("0x5000")]
    [InlineData("zero-max")]
    [InlineData("0x-0x1")]
    [InlineData("0x0-0x10000000000000000")]
    public void A_bad_aperture_is_one_line(string aperture) =>
        Cli.Run("resv", "--aperture", aperture, Platform(ReferencePlatform.ArmSmmuV3)).AssertOneLineError(ExitCodes.Usage, $"--aperture '{aperture}'");

    [Theory]
    [InlineData("resv")]
    [InlineData("resv", "--frobnicate", "x")]
    [InlineData("frob")]
    [InlineData]
    public void Bad_usage_exits_2_with_one_line(params string[] args) =>
        Cli.Run(args).AssertOneLineError(ExitCodes.Usage, "see 'harness --help'");
}
