using System.Text;
using Harness.Model;
using Xunit;

namespace Harness.Tests.Model;

/// <summary>SPEC.md §1 "sysfs": the reserved_regions format and its strict parser.</summary>
public sealed class SysfsTests
{
    private static ResvRegion R(ulong start, ulong last, ResvType type) => new(new IovaRange(start, last), IommuProt.None, type);

    private static List<ResvRegion> Parse(string text)
    {
        Assert.True(SysfsParser.TryParse(Encoding.ASCII.GetBytes(text), out var regions, out var error), error.ToString());
        return regions;
    }

    private static SysfsError Reject(string text)
    {
        Assert.False(SysfsParser.TryParse(Encoding.ASCII.GetBytes(text), out _, out var error));
        return error;
    }

    [Theory]
    [InlineData(ResvType.Direct, "0x0000000000001000 0x0000000000001fff direct\n")]
    [InlineData(ResvType.DirectRelaxable, "0x0000000000001000 0x0000000000001fff direct-relaxable\n")]
    [InlineData(ResvType.Reserved, "0x0000000000001000 0x0000000000001fff reserved\n")]
    [InlineData(ResvType.Msi, "0x0000000000001000 0x0000000000001fff msi\n")]
    [InlineData(ResvType.SwMsi, "0x0000000000001000 0x0000000000001fff msi\n")]
    public void Each_type_prints_as_the_kernel_prints_it(ResvType type, string line) =>
        Assert.Equal(line, SysfsFormat.FormatLine(R(0x1000, 0x1fff, type)));

    [Fact]
    public void The_Arm_platform_file_is_the_one_line_of_SPEC_section_7() =>
        Assert.Equal("0x0000000008000000 0x00000000080fffff msi\n", ReferencePlatform.ArmSmmuV3.Sysfs);

    [Fact]
    public void The_AMD_platform_file_lists_msi_then_HyperTransport() =>
        Assert.Equal(
            "0x00000000fee00000 0x00000000feefffff msi\n0x000000fd00000000 0x000000ffffffffff reserved\n",
            ReferencePlatform.AmdVi.Sysfs);

    [Fact]
    public void Parsing_gives_back_every_region_with_SwMsi_read_as_Msi()
    {
        var regions = new[] { R(0, 0xffffff, ResvType.DirectRelaxable), R(0x8000000, 0x80fffff, ResvType.SwMsi), R(0xfd00000000, ulong.MaxValue, ResvType.Reserved) };
        Assert.Equal([regions[0], R(0x8000000, 0x80fffff, ResvType.Msi), regions[2]], Parse(SysfsFormat.Format(regions)));
    }

    [Fact]
    public void An_empty_file_is_a_group_without_regions() => Assert.Empty(Parse(""));

    [Fact]
    public void The_last_newline_may_be_missing() =>
        Assert.Equal([R(0x1000, 0x1fff, ResvType.Direct)], Parse("0x0000000000001000 0x0000000000001fff direct"));

    [Fact]
    public void Uppercase_hex_digits_are_accepted() =>
        Assert.Equal([R(0xfee00000, 0xfeefffff, ResvType.Msi)], Parse("0x00000000FEE00000 0x00000000FEEFFFFF msi\n"));

    [Theory]
    [InlineData("\n", 1, 0, "empty line")]
    [InlineData("0x0000000000001000 0x0000000000001fff direct\n\n", 2, 45, "empty line")]
    [InlineData("0x1000 0x1fff direct\n", 1, 6, "start: 4 hex digits where 16 are expected")]
    [InlineData("1000 0x1fff direct\n", 1, 0, "start: expected 0x and 16 hex digits")]
    [InlineData("0x0000000000001000 0x0000000000001fff0 direct\n", 1, 37, "expected one space after last")]
    [InlineData("0x0000000000001000 0x0000000000001f\n", 1, 35, "last: 14 hex digits where 16 are expected")]
    [InlineData("0x000000000000100g 0x0000000000001fff direct\n", 1, 17, "start: 'g' is not a hex digit")]
    [InlineData("0x0000000000001000  0x0000000000001fff direct\n", 1, 19, "last: expected 0x and 16 hex digits")]
    [InlineData("0x0000000000001000\t0x0000000000001fff direct\n", 1, 18, "unexpected byte 0x09")]
    [InlineData("0x0000000000001000 0x0000000000001fff\n", 1, 37, "expected one space after last")]
    [InlineData("0x0000000000001000 0x0000000000001fff dma\n", 1, 38, "unknown region type 'dma' (expected direct, direct-relaxable, reserved or msi)")]
    [InlineData("0x0000000000001000 0x0000000000001fff msi \n", 1, 38, "unknown region type 'msi ' (expected direct, direct-relaxable, reserved or msi)")]
    [InlineData("0x0000000000002000 0x0000000000001fff direct\n", 1, 0, "start 0x0000000000002000 is above last 0x0000000000001fff")]
    [InlineData("0x0000000000001000 0x0000000000001fff direct\r\n", 1, 44, "carriage return (DOS line ending) is not sysfs format")]
    public void A_bad_line_names_the_line_offset_and_problem(string text, int line, int offset, string problem) =>
        Assert.Equal(new SysfsError(line, offset, problem), Reject(text));

    [Fact]
    public void A_non_ascii_byte_is_rejected_where_it_is()
    {
        var bytes = Encoding.ASCII.GetBytes("0x0000000000001000 0x0000000000001fff direct\n");
        bytes[5] = 0xff;
        Assert.False(SysfsParser.TryParse(bytes, out _, out var error));
        Assert.Equal(new SysfsError(1, 5, "unexpected byte 0xff"), error);
    }
}
