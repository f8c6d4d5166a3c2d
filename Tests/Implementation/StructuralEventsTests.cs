using Harness.Implementation;
using Xunit;

namespace Harness.Tests.Implementation;

/// <summary>check --coverage's counts: a tree grown and drained reports its splits, merges and root changes; nothing is counted outside a count, nor on another thread.</summary>
public sealed class StructuralEventsTests
{
    private static int GrowAndDrain()
    {
        var tree = new RangeTree<int>();
        for (ulong i = 0; i < 400; i++)
            tree.Insert(i * 4, (i * 4) + 1, 0);
        for (ulong i = 0; i < 400; i++)
            Assert.True(tree.Remove(i * 4));
        return tree.Count;
    }

    [Fact]
    public void A_tree_grown_and_drained_reaches_its_splits_merges_and_root_changes()
    {
        StructuralEvents.Counted(GrowAndDrain, out long[] counts);
        foreach (var reached in new[] { StructuralEvent.TreeLeafSplit, StructuralEvent.TreeBranchSplit, StructuralEvent.TreeRootGrowth, StructuralEvent.TreeLeafMerge, StructuralEvent.TreeRootShrink })
            Assert.True(counts[(int)reached] > 0, $"{reached} not counted");
        Assert.Equal(0, counts[(int)StructuralEvent.RcacheFlush]);
    }

    [Fact]
    public void Another_thread_counting_neither_adds_to_nor_stops_this_threads_count()
    {
        long[] outside = [];
        StructuralEvents.Counted(
            () =>
            {
                var other = new Thread(() => StructuralEvents.Counted(GrowAndDrain, out outside));
                other.Start();
                other.Join();
                return GrowAndDrain();
            },
            out long[] inside);
        Assert.Equal(outside, inside);
        Assert.True(inside[(int)StructuralEvent.TreeLeafMerge] > 0);
    }

    [Fact]
    public void A_count_nested_in_another_is_its_own_and_the_outer_one_resumes()
    {
        StructuralEvents.Counted(
            () =>
            {
                StructuralEvents.Counted(GrowAndDrain, out long[] nested);
                Assert.True(nested[(int)StructuralEvent.TreeLeafSplit] > 0);
                return 0;
            },
            out long[] outer);
        Assert.All(outer, count => Assert.Equal(0, count));
    }
}
