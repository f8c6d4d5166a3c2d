using Harness.Cli;
using System.Text.Json;
using Xunit;

namespace Harness.Tests.Cli;

public sealed class DecodeEncodeTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Encode_then_decode_shows_every_capability_and_range()
    {
        string file = Path.Combine(dir.Path, "info.bin");
        var encoded = Cli.Run("encode", "--layout", "pre-v6.6", "--range", "0x1000-0xffff", "--range", "0x100000-0x1fffff", "-o", file);
        Assert.Equal(0, encoded.ExitCode);
        Assert.Equal(116, new FileInfo(file).Length);

        var decoded = Cli.Run("decode", file);
        Assert.Equal(0, decoded.ExitCode);
        Assert.Contains("cap @24  MIGRATION (id 2, version 1), next 56", decoded.Out, StringComparison.Ordinal);
        Assert.Contains("cap @56  DMA_AVAIL (id 3, version 1), next 68", decoded.Out, StringComparison.Ordinal);
        Assert.Contains("cap @68  IOVA_RANGE (id 1, version 1), next 0", decoded.Out, StringComparison.Ordinal);
        Assert.Contains("    0x0000000000100000 0x00000000001fffff\n", decoded.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_argsz_decodes_as_truncated_with_the_size_to_retry_with()
    {
        string file = Path.Combine(dir.Path, "short.bin");
        Assert.Equal(0, Cli.Run("encode", "--range", "0x0-0xfff", "--argsz", "24", "-o", file).ExitCode);
        var decoded = Cli.Run("decode", "--json", file);
        using var json = JsonDocument.Parse(decoded.Out);
        Assert.True(json.RootElement.GetProperty("truncated").GetBoolean());
        Assert.Equal(104u, json.RootElement.GetProperty("argsz").GetUInt32());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("iova_ranges").ValueKind);
    }

    [Fact]
    public void Json_lists_ranges_as_hex_strings()
    {
        var decoded = Cli.Run("decode", "--json", RepositoryRoot.Corpus("capchain", "v6.6-arm.bin"));
        using var json = JsonDocument.Parse(decoded.Out);
        var ranges = json.RootElement.GetProperty("iova_ranges");
        Assert.Equal("0x0000000008100000", ranges[1].GetProperty("start").GetString());
        Assert.Equal("0x0000ffffffffffff", ranges[1].GetProperty("last").GetString());
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, "offset 0: BufferTooShort")]
    [InlineData(new byte[] { 8, 0, 0, 0, 3, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0 }, "offset 0: ArgszTooSmall")]
    [InlineData(new byte[] { 32, 0, 0, 0, 3, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "offset 16: CapOffsetInsideHeader")]
    [InlineData(new byte[] { 32, 0, 0, 0, 3, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 24, 0, 0, 0, 0, 0, 0, 0, 3, 0, 1, 0, 24, 0, 0, 0 }, "offset 28: NextNotForward")]
    [InlineData(new byte[] { 40, 0, 0, 0, 3, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 24, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0 }, "offset 32: IovaCountTooLarge")]
    public void A_malformed_buffer_is_one_line_naming_the_check_and_offset(byte[] bytes, string expected) =>
        Cli.Run("decode", dir.File("bad.bin", bytes)).AssertOneLineError(ExitCodes.Usage, expected);

    /// <summary>The generated seeds (*.bin) are well formed; what fuzzing merged in may not be, and gets one line.</summary>
    [Fact]
    public void Every_corpus_file_decodes_or_is_one_line_naming_the_check()
    {
        foreach (string input in Directory.EnumerateFiles(RepositoryRoot.Corpus("capchain")))
        {
            var result = Cli.Run("decode", input);
            if (input.EndsWith(".bin", StringComparison.Ordinal) || result.ExitCode == 0)
                Assert.True(result.ExitCode == 0, $"{input}: {result.Err}");
            else
                result.AssertOneLineError(ExitCodes.Usage, $"{input}: offset ");
        }
    }

    [Fact]
    public void Decode_sysfs_lists_regions_or_names_the_bad_line()
    {
        Assert.Contains("0x000000fd00000000 0x000000ffffffffff reserved", Cli.Run("decode", "--sysfs", RepositoryRoot.Corpus("sysfs", "amd-vi")).Out, StringComparison.Ordinal);
        Cli.Run("decode", "--sysfs", dir.File("bad", "0x0 0x1 msi\n")).AssertOneLineError(ExitCodes.Usage, ":1: start: 1 hex digits where 16 are expected");
    }

    [Theory]
    [InlineData("--range", "0x5-0x1")]
    [InlineData("--argsz", "8")]
    [InlineData("--dma-avail", "0x100000000")]
    [InlineData("--pgsizes", "lots")]
    public void Encode_rejects_bad_values_in_one_line(string option, string value) =>
        Cli.Run("encode", option, value, "-o", Path.Combine(dir.Path, "x.bin")).AssertOneLineError(ExitCodes.Usage, option);

    [Fact]
    public void Encode_to_an_unwritable_place_is_one_line_and_leaves_nothing() =>
        Cli.Run("encode", "-o", Path.Combine(dir.Path, "no-such-dir", "x.bin")).AssertOneLineError(ExitCodes.Usage, "cannot write");

    [Fact]
    public void A_bad_layout_is_a_usage_error_in_one_line() =>
        Cli.Run("encode", "--layout", "v7", "-o", "x").AssertOneLineError(ExitCodes.Usage, "'v7' not recognized");
}
