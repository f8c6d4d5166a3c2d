using Harness.Implementation;
using Harness.Model;
using Xunit;
using static Harness.Tests.Invariants.Surgery;

namespace Harness.Tests.Invariants;

public sealed class ReservedUnionCheckerTests
{
    [Theory]
    [InlineData(0x15UL)]
    [InlineData(0x20UL)]
    [InlineData(0x21UL)]
    public void Ranges_that_overlap_share_a_pfn_or_touch_are_caught(ulong secondStart)
    {
        var union = new ReservedUnion();
        union.Add(0x10, 0x20);
        union.Add(0x40, 0x50);
        union.CheckInvariants();
        Get<List<IovaRange>>(union, "ranges")[1] = new IovaRange(secondStart, 0x50);
        ExpectViolation(union.CheckInvariants, $"reserved union ranges [0x10, 0x20] and [0x{secondStart:x}, 0x50] overlap or touch");
    }

    [Fact]
    public void Ranges_one_pfn_apart_pass()
    {
        var union = new ReservedUnion();
        union.Add(0x10, 0x20);
        union.Add(0x22, 0x50);
        Assert.Equal(2, union.Count);
        union.CheckInvariants();
    }
}
