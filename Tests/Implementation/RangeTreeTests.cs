using Harness.Implementation;
using Xunit;

namespace Harness.Tests.Implementation;

/// <summary>The tree's point operations on absent keys, and draining a tall tree in every order.</summary>
public sealed class RangeTreeTests
{
    private static RangeTree<int> Tree(params ulong[] starts)
    {
        var tree = new RangeTree<int>();
        foreach (ulong start in starts)
            tree.Insert(start, start + 0xf, (int)start);
        return tree;
    }

    [Fact]
    public void TrySetValue_replaces_only_a_range_starting_exactly_there()
    {
        var tree = Tree(0x100, 0x200);
        Assert.True(tree.TrySetValue(0x200, 7));
        Assert.False(tree.TrySetValue(0x10, 8));
        Assert.False(tree.TrySetValue(0x101, 9));
        Assert.Equal([(0x100UL, 0x10fUL, 0x100), (0x200UL, 0x20fUL, 7)], tree.InOrder());
    }

    [Fact]
    public void Remove_of_a_start_that_begins_no_range_changes_nothing()
    {
        var tree = Tree(0x100, 0x200);
        Assert.False(tree.Remove(0x10));
        Assert.False(tree.Remove(0x201));
        Assert.Equal(2, tree.Count);
        Assert.Equal([0x100UL, 0x200UL], tree.InOrder().Select(r => r.Start));
        tree.CheckInvariants();
    }

    /// <summary>
    /// Three thousand ranges inserted in random order (height 2, nodes of every fill), then removed
    /// ascending, descending or at random: every merge and every borrow from either sibling, at
    /// leaf and branch level, with the invariants checked along the way.
    /// </summary>
    [Theory]
    [InlineData("ascending")]
    [InlineData("descending")]
    [InlineData("random")]
    public void Draining_a_tall_tree_keeps_it_valid_to_the_end(string order)
    {
        var random = new Random(11);
        var starts = Enumerable.Range(0, 3000).Select(i => (ulong)i * 0x20).OrderBy(_ => random.Next()).ToList();
        var tree = Tree([.. starts]);
        tree.CheckInvariants();
        var victims = order switch
        {
            "ascending" => starts.Order().ToList(),
            "descending" => starts.OrderDescending().ToList(),
            _ => starts,
        };

        var left = new SortedSet<ulong>(starts);
        foreach (ulong victim in victims)
        {
            Assert.True(tree.Remove(victim));
            left.Remove(victim);
            if (left.Count % 97 == 0)
            {
                tree.CheckInvariants();
                Assert.Equal(left, tree.InOrder().Select(r => r.Start));
            }
        }

        Assert.Equal(0, tree.Count);
    }
}
