using Harness.Model;
using Xunit;

namespace Harness.Tests.Contracts;

/// <summary>
/// docs/SPEC.md §3 "Writer": byte-exact GET_INFO buffers for 0, 1 and 3 ranges in each layout, for
/// argsz 16, 24, one byte short and exact. Each expectation is spelled out at literal offsets
/// from the kernel's structures; the buffer is 8 bytes longer than argsz and 0xAA-filled, so a
/// write at or past argsz shows.
/// </summary>
public abstract class InfoWriterContract
{
    protected const ulong Pgsizes = 0x40201000;
    protected const uint Avail = 0xffff;

    protected abstract IInfoWriter Writer { get; }

    public static IovaRange[] Ranges(int n) => n switch
    {
        0 => [],
        1 => [new IovaRange(0x1000, 0xffff)],
        _ => [new IovaRange(0x1000, 0x7ff_ffff), new IovaRange(0x810_0000, 0xffff_ffff), new IovaRange(0x1_0000_0000, 0xffff_ffff_ffff)],
    };

    private byte[] Written(InfoLayout layout, int n, uint argsz)
    {
        var buffer = new Bytes((int)argsz + 8).U32(0, argsz).Data;
        Assert.Equal(Errno.Ok, Writer.Write(buffer, layout, Pgsizes, Avail, Ranges(n)));
        return buffer;
    }

    private static Bytes Header(uint argszOut, uint capOffset, uint callerArgsz) =>
        new Bytes((int)callerArgsz + 8).U32(0, argszOut).U32(4, 3).U64(8, Pgsizes).U32(16, capOffset);

    private static Bytes Header16(uint argszOut, uint callerArgsz) =>
        new Bytes((int)callerArgsz + 8).U32(0, argszOut).U32(4, 3).U64(8, Pgsizes);

    private static Bytes Type1Chain(Bytes b, int n, bool padded)
    {
        int iovaAt = padded ? 72 : 68;
        b.Cap(24, 2, 1, 56).U32(32, 0).U32(36, 0).U64(40, 0x1000).U64(48, 0x10000000);
        b.Cap(56, 3, 1, n == 0 ? 0u : (uint)iovaAt).U32(64, Avail);
        if (padded)
            b.U32(68, 0);
        if (n == 0)
            return b;
        b.Cap(iovaAt, 1, 1, 0).U32(iovaAt + 8, (uint)n).U32(iovaAt + 12, 0);
        var ranges = Ranges(n);
        for (int i = 0; i < n; i++)
            b.U64(iovaAt + 16 + (16 * i), ranges[i].Start).U64(iovaAt + 24 + (16 * i), ranges[i].Last);
        return b;
    }

    private void AssertBytes(Bytes expected, InfoLayout layout, int n, uint argsz) =>
        Assert.Equal(Bytes.Hex(expected.Data), Bytes.Hex(Written(layout, n, argsz)));

    public static TheoryData<int> RangeCounts() => new(0, 1, 3);

    // ---- v6.6+: MIGRATION @24 next 56, DMA_AVAIL @56 next 72, IOVA_RANGE @72; argsz 88 + 16n (72 without ranges) ----

    private static uint V66Size(int n) => n == 0 ? 72u : 88u + (16u * (uint)n);

    [Theory, MemberData(nameof(RangeCounts))]
    public void V66_exact_argsz_gets_the_whole_chain(int n)
    {
        uint size = V66Size(n);
        AssertBytes(Type1Chain(Header(size, 24, size).U32(20, 0), n, padded: true), InfoLayout.Type1V66, n, size);
    }

    [Theory, MemberData(nameof(RangeCounts))]
    public void V66_one_byte_short_gets_the_needed_argsz_and_no_chain(int n)
    {
        uint size = V66Size(n);
        AssertBytes(Header(size, 0, size - 1).U32(20, 0), InfoLayout.Type1V66, n, size - 1);
    }

    [Theory, MemberData(nameof(RangeCounts))]
    public void V66_argsz_24_gets_the_needed_argsz_cap_offset_0_and_the_pad_zeroed(int n) =>
        AssertBytes(Header(V66Size(n), 0, 24).U32(20, 0), InfoLayout.Type1V66, n, 24);

    [Theory, MemberData(nameof(RangeCounts))]
    public void V66_argsz_18_gets_18_bytes_of_the_zeroed_struct(int n) =>
        AssertBytes(Header16(V66Size(n), 18).U16(16, 0), InfoLayout.Type1V66, n, 18);

    [Theory, MemberData(nameof(RangeCounts))]
    public void V66_argsz_16_gets_only_the_pre_v5_4_struct(int n) =>
        AssertBytes(Header16(V66Size(n), 16), InfoLayout.Type1V66, n, 16);

    // ---- pre-v6.6: DMA_AVAIL is 12 bytes, IOVA_RANGE @68 (misaligned); argsz 84 + 16n (68 without ranges) ----

    private static uint PreV66Size(int n) => n == 0 ? 68u : 84u + (16u * (uint)n);

    [Theory, MemberData(nameof(RangeCounts))]
    public void PreV66_exact_argsz_gets_the_unpadded_chain(int n)
    {
        uint size = PreV66Size(n);
        AssertBytes(Type1Chain(Header(size, 24, size), n, padded: false), InfoLayout.Type1PreV66, n, size);
    }

    [Theory, MemberData(nameof(RangeCounts))]
    public void PreV66_one_byte_short_gets_the_needed_argsz_and_no_chain(int n)
    {
        uint size = PreV66Size(n);
        AssertBytes(Header(size, 0, size - 1), InfoLayout.Type1PreV66, n, size - 1);
    }

    [Theory, MemberData(nameof(RangeCounts))]
    public void PreV66_argsz_24_18_and_16(int n)
    {
        AssertBytes(Header16(PreV66Size(n), 18), InfoLayout.Type1PreV66, n, 18);
        AssertBytes(Header(PreV66Size(n), 0, 24), InfoLayout.Type1PreV66, n, 24);
        AssertBytes(Header16(PreV66Size(n), 16), InfoLayout.Type1PreV66, n, 16);
    }

    // ---- iommufd compat: DMA_AVAIL @24 (12 bytes, next 40), IOVA_RANGE @40; argsz always 56 + 16n ----

    private static uint CompatSize(int n) => 56u + (16u * (uint)n);

    private static Bytes CompatHeader(int n, uint capOffset, uint callerArgsz) =>
        Header(CompatSize(n), capOffset, callerArgsz).U32(20, 0);

    private static Bytes CompatDmaAvail(Bytes b) => b.Cap(24, 3, 1, 40).U32(32, 0xffff_ffff);

    private static Bytes CompatRange(Bytes b, int n, int i) =>
        b.U64(56 + (16 * i), Ranges(n)[i].Start).U64(64 + (16 * i), Ranges(n)[i].Last);

    [Theory, MemberData(nameof(RangeCounts))]
    public void Compat_exact_argsz_gets_both_caps_leaving_the_DMA_AVAIL_padding_alone(int n)
    {
        uint size = CompatSize(n);
        var expected = CompatDmaAvail(CompatHeader(n, 24, size)).Cap(40, 1, 1, 0).U32(48, (uint)n).U32(52, 0);
        for (int i = 0; i < n; i++)
            CompatRange(expected, n, i);
        AssertBytes(expected, InfoLayout.IommufdCompat, n, size);
    }

    [Fact]
    public void Compat_one_byte_short_with_0_ranges_writes_DMA_AVAIL_but_no_IOVA_RANGE_header() =>
        AssertBytes(CompatDmaAvail(CompatHeader(0, 0, 55)), InfoLayout.IommufdCompat, 0, 55);

    [Fact]
    public void Compat_one_byte_short_with_1_range_writes_no_range() =>
        AssertBytes(CompatDmaAvail(CompatHeader(1, 0, 71)), InfoLayout.IommufdCompat, 1, 71);

    [Fact]
    public void Compat_one_byte_short_with_3_ranges_writes_the_ranges_that_fit_without_their_header()
    {
        var expected = CompatDmaAvail(CompatHeader(3, 0, 103));
        CompatRange(expected, 3, 0);
        CompatRange(expected, 3, 1);
        AssertBytes(expected, InfoLayout.IommufdCompat, 3, 103);
    }

    [Theory, MemberData(nameof(RangeCounts))]
    public void Compat_argsz_24_writes_the_whole_header_with_the_full_argsz(int n) =>
        AssertBytes(CompatHeader(n, 0, 24), InfoLayout.IommufdCompat, n, 24);

    [Theory, MemberData(nameof(RangeCounts))]
    public void Compat_argsz_16_writes_16_bytes(int n) =>
        AssertBytes(Header16(CompatSize(n), 16), InfoLayout.IommufdCompat, n, 16);

    [Fact]
    public void Compat_argsz_36_fits_DMA_AVAIL_but_not_its_link() =>
        AssertBytes(CompatHeader(1, 0, 36).Cap(24, 3, 1, 0).U32(32, 0xffff_ffff), InfoLayout.IommufdCompat, 1, 36);

    [Fact]
    public void Compat_argsz_40_links_DMA_AVAIL_to_an_IOVA_RANGE_that_does_not_fit() =>
        AssertBytes(CompatHeader(1, 0, 40).Cap(24, 3, 1, 40).U32(32, 0xffff_ffff), InfoLayout.IommufdCompat, 1, 40);

    // ---- errors ----

    [Theory]
    [InlineData(InfoLayout.Type1V66)]
    [InlineData(InfoLayout.Type1PreV66)]
    [InlineData(InfoLayout.IommufdCompat)]
    public void Argsz_below_16_is_EINVAL_and_nothing_is_written(InfoLayout layout)
    {
        var buffer = new Bytes(64).U32(0, 15).Data;
        var before = (byte[])buffer.Clone();
        Assert.Equal(Errno.EINVAL, Writer.Write(buffer, layout, Pgsizes, Avail, Ranges(1)));
        Assert.Equal(before, buffer);
    }

    [Fact]
    public void A_buffer_shorter_than_16_bytes_or_than_argsz_is_EFAULT_and_nothing_is_written()
    {
        var small = new Bytes(12).U32(0, 12).Data;
        Assert.Equal(Errno.EFAULT, Writer.Write(small, InfoLayout.Type1V66, Pgsizes, Avail, Ranges(1)));
        var shortOfArgsz = new Bytes(64).U32(0, 200).Data;
        var before = (byte[])shortOfArgsz.Clone();
        Assert.Equal(Errno.EFAULT, Writer.Write(shortOfArgsz, InfoLayout.Type1V66, Pgsizes, Avail, Ranges(1)));
        Assert.Equal(before, shortOfArgsz);
    }

    [Theory]
    [InlineData(InfoLayout.Type1V66)]
    [InlineData(InfoLayout.Type1PreV66)]
    [InlineData(InfoLayout.IommufdCompat)]
    public void No_argsz_from_16_to_full_writes_at_or_past_argsz(InfoLayout layout)
    {
        for (uint argsz = 16; argsz <= 200; argsz++)
        {
            var buffer = new Bytes((int)argsz + 32).U32(0, argsz).Data;
            Assert.Equal(Errno.Ok, Writer.Write(buffer, layout, Pgsizes, Avail, Ranges(3)));
            Assert.All(buffer[(int)argsz..], b => Assert.Equal(Bytes.Fill, b));
        }
    }
}
