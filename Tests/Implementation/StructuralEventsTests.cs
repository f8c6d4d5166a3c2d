using Harness.Implementation;
using Xunit;

namespace Harness.Tests.Implementation;

/// <summary>check --coverage's counts: a tree grown and drained reports its splits, merges and root changes; nothing is counted while off.</summary>
[Collection(Collection)]
public sealed class StructuralEventsTests
{
    /// <summary>The tests that turn counting on, one at a time (it is one switch for the process).</summary>
    public const string Collection = "structural events";

    private static long[] GrowAndDrain()
    {
        var tree = new RangeTree<int>();
        StructuralEvents.Take();
        for (ulong i = 0; i < 400; i++)
            tree.Insert(i * 4, (i * 4) + 1, 0);
        for (ulong i = 0; i < 400; i++)
            Assert.True(tree.Remove(i * 4));
        return StructuralEvents.Take();
    }

    [Fact]
    public void A_tree_grown_and_drained_reaches_its_splits_merges_and_root_changes_only_when_counting()
    {
        Assert.All(GrowAndDrain(), count => Assert.Equal(0, count));
        StructuralEvents.Enabled = true;
        try
        {
            var counts = GrowAndDrain();
            foreach (var reached in new[] { StructuralEvent.TreeLeafSplit, StructuralEvent.TreeBranchSplit, StructuralEvent.TreeRootGrowth, StructuralEvent.TreeLeafMerge, StructuralEvent.TreeRootShrink })
                Assert.True(counts[(int)reached] > 0, $"{reached} not counted");
            Assert.Equal(0, counts[(int)StructuralEvent.RcacheFlush]);
        }
        finally
        {
            StructuralEvents.Enabled = false;
        }
    }
}
