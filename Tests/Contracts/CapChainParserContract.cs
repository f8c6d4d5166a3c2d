using Harness.Model;
using Xunit;

namespace Harness.Tests.Contracts;

/// <summary>docs/SPEC.md §3 "Parser": every rule, every check with its offset, every writer layout.</summary>
public abstract class CapChainParserContract
{
    protected abstract ICapChainParser Parser { get; }

    private ParsedInfo Accept(byte[] buffer)
    {
        Assert.True(Parser.TryParse(buffer, out var info, out var error), error.ToString());
        return info;
    }

    private CapChainError Reject(byte[] buffer)
    {
        Assert.False(Parser.TryParse(buffer, out _, out var error));
        return error;
    }

    private static byte[] Written(InfoLayout layout, int n, uint argsz, int extra = 0)
    {
        var buffer = new Bytes((int)argsz + extra).U32(0, argsz).Data;
        Assert.Equal(Errno.Ok, new ModelInfoWriter().Write(buffer, layout, 0x40201000, 77, InfoWriterContract.Ranges(n)));
        return buffer;
    }

    /// <summary>A header with argsz = length, flags PGSIZES|CAPS and the given cap_offset, zero beyond.</summary>
    private static Bytes Buffer(int length, uint capOffset)
    {
        var b = new Bytes(length);
        Array.Clear(b.Data);
        return b.U32(0, (uint)length).U32(4, 3).U64(8, 0x1000).U32(16, capOffset);
    }

    [Theory]
    [InlineData(InfoLayout.Type1V66, 136u, new[] { 24, 56, 72 })]
    [InlineData(InfoLayout.Type1PreV66, 132u, new[] { 24, 56, 68 })]
    [InlineData(InfoLayout.IommufdCompat, 104u, new[] { 24, 40 })]
    public void Every_writer_layout_parses_with_its_ranges(InfoLayout layout, uint size, int[] offsets)
    {
        var info = Accept(Written(layout, 3, size));
        Assert.Equal(size, info.Argsz);
        Assert.Equal(24u, info.CapOffset);
        Assert.False(info.Truncated);
        Assert.Equal(0x40201000UL, info.IovaPgsizes);
        Assert.Equal(offsets, info.Caps.Select(c => c.Offset));
        Assert.Equal(InfoWriterContract.Ranges(3), info.IovaRanges);
        Assert.Equal(layout == InfoLayout.IommufdCompat ? uint.MaxValue : 77u, info.DmaAvail);
        if (layout == InfoLayout.IommufdCompat)
            Assert.Null(info.Migration);
        else
            Assert.Equal(new MigrationInfoCap(24, 56, 0, 0x1000, 0x10000000), info.Migration);
    }

    [Fact]
    public void A_short_answer_is_truncated_with_the_argsz_to_retry_with()
    {
        var info = Accept(Written(InfoLayout.Type1V66, 3, 24));
        Assert.True(info.Truncated);
        Assert.Equal(136u, info.Argsz);
        Assert.Empty(info.Caps);
        Assert.Null(info.IovaRanges);
    }

    [Fact]
    public void A_pre_v5_4_16_byte_struct_has_no_list()
    {
        var info = Accept(new Bytes(16).U32(0, 16).U32(4, 1).U64(8, 0x1000).Data);
        Assert.Equal(1u, info.Flags);
        Assert.Empty(info.Caps);
        Assert.Null(info.IovaRanges);
    }

    [Fact]
    public void Only_min_argsz_length_is_read_even_when_the_buffer_is_longer()
    {
        // argsz 40 stops the walk before a capability placed in the bytes after it.
        var b = Buffer(128, 48).Cap(48, 3, 1, 0).U32(56, 5).U32(0, 40);
        Assert.Equal(new CapChainError(CapChainCheck.CapOutOfBounds, 16, 48), Reject(b.Data));
    }

    [Fact]
    public void Fewer_than_16_bytes_is_BufferTooShort() =>
        Assert.Equal(new CapChainError(CapChainCheck.BufferTooShort, 0, 15), Reject(new byte[15]));

    [Fact]
    public void Argsz_below_16_is_ArgszTooSmall() =>
        Assert.Equal(new CapChainError(CapChainCheck.ArgszTooSmall, 0, 8), Reject(Buffer(64, 24).U32(0, 8).Data));

    [Theory]
    [InlineData(1u)]
    [InlineData(20u)]
    [InlineData(23u)]
    public void A_cap_offset_inside_the_header_is_rejected(uint capOffset) =>
        Assert.Equal(new CapChainError(CapChainCheck.CapOffsetInsideHeader, 16, capOffset), Reject(Buffer(64, capOffset).Data));

    [Theory]
    [InlineData(64u)]
    [InlineData(57u)]
    [InlineData(0xffff_fff0u)]
    public void A_cap_offset_whose_header_does_not_fit_is_CapOutOfBounds(uint capOffset) =>
        Assert.Equal(new CapChainError(CapChainCheck.CapOutOfBounds, 16, capOffset), Reject(Buffer(64, capOffset).Data));

    [Fact]
    public void A_next_whose_header_does_not_fit_names_the_next_field() =>
        Assert.Equal(new CapChainError(CapChainCheck.CapOutOfBounds, 28, 60), Reject(Buffer(64, 24).Cap(24, 99, 1, 60).Data));

    [Fact]
    public void A_self_pointing_next_is_rejected_not_followed() =>
        Assert.Equal(new CapChainError(CapChainCheck.NextNotForward, 28, 24), Reject(Buffer(64, 24).Cap(24, 3, 1, 24).Data));

    [Fact]
    public void A_next_one_byte_forward_is_forward()
    {
        // The header at 25 overlaps the one at 24: id 0x100, version 0x1900, next 0 (bytes 29..32).
        var info = Accept(Buffer(64, 24).Cap(24, 99, 1, 25).Data);
        Assert.Equal([24, 25], info.Caps.Select(c => c.Offset));
    }

    [Fact]
    public void A_next_one_past_the_end_bounds_its_capability_by_the_end()
    {
        // DMA_AVAIL needs 12 bytes; 11 remain before the end, whatever next says.
        Assert.Equal(new CapChainError(CapChainCheck.CapTooShort, 37, 12), Reject(Buffer(48, 37).Cap(37, 3, 1, 49).Data));
    }

    [Fact]
    public void A_20_byte_buffer_still_has_a_cap_offset()
    {
        Assert.Equal(new CapChainError(CapChainCheck.CapOutOfBounds, 16, 24), Reject(Buffer(20, 24).Data));
        Assert.Equal(new CapChainError(CapChainCheck.CapOffsetInsideHeader, 16, 8), Reject(Buffer(20, 8).Data));
    }

    [Fact]
    public void A_backward_next_is_rejected_not_followed() =>
        Assert.Equal(new CapChainError(CapChainCheck.NextNotForward, 44, 24), Reject(Buffer(64, 24).Cap(24, 3, 1, 40).Cap(40, 3, 1, 24).Data));

    [Fact]
    public void A_huge_nr_iovas_is_rejected_without_overflow() =>
        Assert.Equal(new CapChainError(CapChainCheck.IovaCountTooLarge, 32, 0xffff_ffff), Reject(Buffer(72, 24).Cap(24, 1, 1, 0).U32(32, 0xffff_ffff).Data));

    [Fact]
    public void Nr_iovas_one_more_than_fits_before_next_is_rejected()
    {
        // Two ranges fit in [24, 72) but nr_iovas says 3; the next capability starts at 72.
        var b = Buffer(96, 24).Cap(24, 1, 1, 72).U32(32, 3).Cap(72, 99, 1, 0);
        Assert.Equal(new CapChainError(CapChainCheck.IovaCountTooLarge, 32, 3), Reject(b.Data));
    }

    [Fact]
    public void An_inverted_range_names_its_offset() =>
        Assert.Equal(
            new CapChainError(CapChainCheck.IovaRangeInverted, 56, 0x9000),
            Reject(Buffer(72, 24).Cap(24, 1, 1, 0).U32(32, 2).U64(40, 0x1000).U64(48, 0x1fff).U64(56, 0x9000).U64(64, 0x8fff).Data));

    [Fact]
    public void A_single_address_range_is_valid() =>
        Assert.Equal([new IovaRange(0x5000, 0x5000)], Accept(Buffer(56, 24).Cap(24, 1, 1, 0).U32(32, 1).U64(40, 0x5000).U64(48, 0x5000).Data).IovaRanges);

    [Theory]
    [InlineData(3, 32, 12)]
    [InlineData(2, 48, 32)]
    [InlineData(1, 36, 16)]
    public void A_known_capability_cut_short_is_CapTooShort(ushort id, int length, ulong needed) =>
        Assert.Equal(new CapChainError(CapChainCheck.CapTooShort, 24, needed), Reject(Buffer(length, 24).Cap(24, id, 1, 0).Data));

    [Fact]
    public void A_capability_ends_at_its_next_not_at_the_buffer_end() =>
        Assert.Equal(new CapChainError(CapChainCheck.CapTooShort, 24, 32), Reject(Buffer(96, 24).Cap(24, 2, 1, 40).Cap(40, 99, 1, 0).Data));

    [Fact]
    public void Unknown_ids_are_skipped_and_reported()
    {
        var info = Accept(Buffer(72, 24).Cap(24, 99, 7, 32).Cap(32, 1, 1, 0).U32(40, 1).U64(48, 0x1000).U64(56, 0x1fff).Data);
        Assert.Equal(new UnknownInfoCap(24, 99, 7, 32), info.Caps[0]);
        Assert.Equal([new IovaRange(0x1000, 0x1fff)], info.IovaRanges);
    }

    [Fact]
    public void The_next_id_after_DMA_AVAIL_is_skipped_as_unknown()
    {
        var info = Accept(Buffer(40, 24).Cap(24, 4, 1, 0).U32(32, 0xffff_ffff).Data);
        Assert.Equal([new UnknownInfoCap(24, 4, 1, 0)], info.Caps);
        Assert.Null(info.IovaRanges);
    }

    [Fact]
    public void A_known_id_with_another_version_is_skipped_as_unknown()
    {
        var info = Accept(Buffer(48, 24).Cap(24, 1, 2, 0).U32(32, 0xffff_ffff).Data);
        Assert.Equal([new UnknownInfoCap(24, 1, 2, 0)], info.Caps);
        Assert.Null(info.IovaRanges);
    }

    [Fact]
    public void A_missing_IOVA_RANGE_means_no_list_is_known()
    {
        var info = Accept(Buffer(40, 24).Cap(24, 3, 1, 0).U32(32, 9).Data);
        Assert.Null(info.IovaRanges);
        Assert.Equal(9u, info.DmaAvail);
    }

    [Fact]
    public void Unaligned_capabilities_are_accepted() =>
        Assert.Equal(5u, Accept(Buffer(64, 27).Cap(27, 3, 1, 0).U32(35, 5).Data).DmaAvail);

    [Fact]
    public void The_first_of_two_IOVA_RANGE_capabilities_is_the_list()
    {
        var b = Buffer(96, 24).Cap(24, 1, 1, 56).U32(32, 1).U64(40, 0x1000).U64(48, 0x1fff)
            .Cap(56, 1, 1, 0).U32(64, 1).U64(72, 0x5000).U64(80, 0x5fff);
        var info = Accept(b.Data);
        Assert.Equal(2, info.Caps.Count);
        Assert.Equal([new IovaRange(0x1000, 0x1fff)], info.IovaRanges);
    }

    [Fact]
    public void A_long_chain_of_unknown_capabilities_is_walked_to_its_end()
    {
        const int length = 1 << 16;
        var b = Buffer(length, 24);
        int count = 0;
        for (int off = 24; off + 8 <= length; off += 8, count++)
            b.Cap(off, 99, 1, off + 16 <= length ? (uint)off + 8 : 0);
        Assert.Equal(count, Accept(b.Data).Caps.Count);
    }

    [Fact]
    public void Cap_offset_is_ignored_when_argsz_ends_before_it()
    {
        var info = Accept(Buffer(64, 24).U32(0, 18).Data);
        Assert.Equal(0u, info.CapOffset);
        Assert.Empty(info.Caps);
    }
}
