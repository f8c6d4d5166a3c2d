using Harness.Implementation;
using Harness.Model;
using Harness.Tests.Contracts;
using Xunit;

namespace Harness.Tests.Implementation;

/// <summary>The view's own accessors where the common parser interface does not reach them.</summary>
public sealed class InfoViewTests
{
    [Fact]
    public void Without_an_IOVA_RANGE_the_view_has_no_list_and_an_empty_range_list()
    {
        byte[] buffer = new Bytes(40).U32(0, 40).U32(16, 24).Cap(24, 3, 1, 0).U32(32, 9).Data;
        Assert.True(CapChainReader.TryParse(buffer, out var view, out _));
        Assert.False(view.HasIovaRanges);
        Assert.Equal(0, view.IovaRanges.Count);
        Assert.True(view.TryGetDmaAvail(out uint avail));
        Assert.Equal(9u, avail);
    }
}
