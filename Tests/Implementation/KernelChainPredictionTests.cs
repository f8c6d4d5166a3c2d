using Harness.Implementation;
using Harness.Model;
using Harness.Properties;
using Harness.Tests.Contracts;
using Xunit;

namespace Harness.Tests.Implementation;

/// <summary>
/// Header prediction is a shortcut past the walk: it must recognise every chain a kernel writes
/// (else the walk runs and only the benchmark notices), and whatever it recognises must parse
/// exactly as the reference parser says, however the bytes around the predicted headers are cut
/// or damaged.
/// </summary>
public sealed class KernelChainPredictionTests
{
    private static readonly ICapChainParser Parser = new FastCapChainParser();

    public static TheoryData<InfoLayout> Layouts => new(Enum.GetValues<InfoLayout>());

    private static byte[] Written(InfoLayout layout, int n)
    {
        uint argsz = ChainCase.Needed(layout, InfoWriterContract.Ranges(n).Length);
        var buffer = new Bytes((int)argsz).U32(0, argsz).Data;
        Assert.Equal(Errno.Ok, new ModelInfoWriter().Write(buffer, layout, 0x40201000, 77, InfoWriterContract.Ranges(n)));
        return buffer;
    }

    /// <summary>iommufd always writes IOVA_RANGE, even with no range; type1 omits it then.</summary>
    [Theory]
    [InlineData(InfoLayout.Type1V66, 1, 72)]
    [InlineData(InfoLayout.Type1V66, 3, 72)]
    [InlineData(InfoLayout.Type1V66, 0, -1)]
    [InlineData(InfoLayout.Type1PreV66, 1, 68)]
    [InlineData(InfoLayout.Type1PreV66, 3, 68)]
    [InlineData(InfoLayout.Type1PreV66, 0, -1)]
    [InlineData(InfoLayout.IommufdCompat, 1, 40)]
    [InlineData(InfoLayout.IommufdCompat, 3, 40)]
    [InlineData(InfoLayout.IommufdCompat, 0, 40)]
    public void Every_kernel_chain_ending_in_IOVA_RANGE_is_predicted(InfoLayout layout, int n, int iovaRange) =>
        Assert.Equal(iovaRange, KernelChainPrediction.IovaRangeOf(Written(layout, n), Type1Info.HeaderSize));

    [Theory]
    [MemberData(nameof(Layouts))]
    public void A_chain_the_header_does_not_point_at_is_left_to_the_walk(InfoLayout layout)
    {
        Assert.Equal(-1, KernelChainPrediction.IovaRangeOf(Written(layout, 3), 0));
        Assert.Equal(-1, KernelChainPrediction.IovaRangeOf(Written(layout, 3), Type1Info.HeaderSize + 8));
    }

    /// <summary>argsz 0x10001 and flags 0 make offset 0 read as a last IOVA_RANGE header, and offset 1 does with argsz 0x1000100.</summary>
    [Theory]
    [InlineData(0x0001_0001u)]
    [InlineData(0x0100_0100u)]
    public void Header_bytes_that_read_as_IOVA_RANGE_are_never_taken_for_it(uint argsz)
    {
        var buffer = new Bytes(64).U32(0, argsz).U32(4, 0).U64(8, 0).U32(16, 24).U32(20, 0).Cap(24, 7, 1, 0).Data;
        Assert.Equal(-1, KernelChainPrediction.IovaRangeOf(buffer, Type1Info.HeaderSize));
        ParserAgreement.Check(Parser, buffer);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Every_cut_of_a_kernel_chain_parses_as_the_reference_does(InfoLayout layout)
    {
        var full = Written(layout, 3);
        for (int length = 0; length <= full.Length; length++)
            ParserAgreement.Check(Parser, full.AsSpan(0, length));
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Every_damaged_header_byte_parses_as_the_reference_does(InfoLayout layout)
    {
        var full = Written(layout, 1);
        for (int at = Type1Info.CapOffsetOffset; at < full.Length - IovaRangeCapLayout.RangeSize; at++)
        {
            foreach (byte value in new byte[] { 0, 1, 2, 3, 0x10, 0x44, 0xff })
            {
                var damaged = (byte[])full.Clone();
                damaged[at] = value;
                ParserAgreement.Check(Parser, damaged);
            }
        }
    }
}
