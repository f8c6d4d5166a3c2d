using System.Text;
using Harness.Model;
using Xunit;

namespace Harness.Tests.Contracts;

/// <summary>docs/SPEC.md §1 "sysfs": the strict reserved_regions parser, every error with its line, offset and words.</summary>
public abstract class SysfsParserContract
{
    protected abstract ISysfsParser Parser { get; }

    private static ResvRegion R(ulong start, ulong last, ResvType type) => new(new IovaRange(start, last), IommuProt.None, type);

    private List<ResvRegion> Parse(string text)
    {
        Assert.True(Parser.TryParse(Encoding.ASCII.GetBytes(text), out var regions, out var error), error.ToString());
        return regions;
    }

    private SysfsError Reject(string text)
    {
        Assert.False(Parser.TryParse(Encoding.ASCII.GetBytes(text), out _, out var error));
        return error;
    }

    [Fact]
    public void Parsing_gives_back_every_region_with_SwMsi_read_as_Msi()
    {
        var regions = new[] { R(0, 0xffffff, ResvType.DirectRelaxable), R(0x8000000, 0x80fffff, ResvType.SwMsi), R(0xfd00000000, ulong.MaxValue, ResvType.Reserved) };
        Assert.Equal([regions[0], R(0x8000000, 0x80fffff, ResvType.Msi), regions[2]], Parse(SysfsFormat.Format(regions)));
    }

    [Fact]
    public void A_NUL_among_the_digits_is_an_unexpected_byte_not_the_end_of_the_number()
    {
        var bytes = Encoding.ASCII.GetBytes("0x0000000000001000 0x0000000000001fff direct\n");
        bytes[16] = bytes[17] = 0;
        Assert.False(Parser.TryParse(bytes, out _, out var error));
        Assert.Equal(new SysfsError(1, 16, SysfsCheck.UnexpectedByte, "unexpected byte 0x00"), error);
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
    [InlineData("\n", 1, 0, "empty line", SysfsCheck.EmptyLine)]
    [InlineData("0x0000000000001000 0x0000000000001fff direct\n\n", 2, 45, "empty line", SysfsCheck.EmptyLine)]
    [InlineData("0x1000 0x1fff direct\n", 1, 6, "start: 4 hex digits where 16 are expected", SysfsCheck.TooFewDigits)]
    [InlineData("1000 0x1fff direct\n", 1, 0, "start: expected 0x and 16 hex digits", SysfsCheck.HexPrefix)]
    [InlineData("0x0000000000001000 0x0000000000001fff0 direct\n", 1, 37, "expected one space after last", SysfsCheck.NoSpaceAfter)]
    [InlineData("0x0000000000001000 0x0000000000001f\n", 1, 35, "last: 14 hex digits where 16 are expected", SysfsCheck.TooFewDigits)]
    [InlineData("0x000000000000100g 0x0000000000001fff direct\n", 1, 17, "start: 'g' is not a hex digit", SysfsCheck.NotHexDigit)]
    [InlineData("0x0000000000001000  0x0000000000001fff direct\n", 1, 19, "last: expected 0x and 16 hex digits", SysfsCheck.HexPrefix)]
    [InlineData("0x0000000000001000\t0x0000000000001fff direct\n", 1, 18, "unexpected byte 0x09", SysfsCheck.UnexpectedByte)]
    [InlineData("0x0000000000001000 0x0000000000001fff\n", 1, 37, "expected one space after last", SysfsCheck.NoSpaceAfter)]
    [InlineData("0x0000000000001000 0x0000000000001fff dma\n", 1, 38, "unknown region type 'dma' (expected direct, direct-relaxable, reserved or msi)", SysfsCheck.UnknownType)]
    [InlineData("0x0000000000001000 0x0000000000001fff msi \n", 1, 38, "unknown region type 'msi ' (expected direct, direct-relaxable, reserved or msi)", SysfsCheck.UnknownType)]
    [InlineData("0x0000000000002000 0x0000000000001fff direct\n", 1, 0, "start 0x0000000000002000 is above last 0x0000000000001fff", SysfsCheck.StartAboveLast)]
    [InlineData("0x0000000000001000 0x0000000000001fff direct\r\n", 1, 44, "carriage return (DOS line ending) is not sysfs format", SysfsCheck.CarriageReturn)]
    public void A_bad_line_names_the_line_offset_and_problem(string text, int line, int offset, string problem, SysfsCheck check) =>
        Assert.Equal(new SysfsError(line, offset, check, problem), Reject(text));

    [Fact]
    public void A_non_ascii_byte_is_rejected_where_it_is()
    {
        var bytes = Encoding.ASCII.GetBytes("0x0000000000001000 0x0000000000001fff direct\n");
        bytes[5] = 0xff;
        Assert.False(Parser.TryParse(bytes, out _, out var error));
        Assert.Equal(new SysfsError(1, 5, SysfsCheck.UnexpectedByte, "unexpected byte 0xff"), error);
    }
}
