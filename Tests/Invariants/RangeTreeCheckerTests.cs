using Harness.Implementation;
using Xunit;
using static Harness.Tests.Invariants.Surgery;

namespace Harness.Tests.Invariants;

/// <summary>Each check of <see cref="RangeTree{TValue}.CheckInvariants"/> fires on the one corruption it exists for.</summary>
public sealed class RangeTreeCheckerTests
{
    /// <summary>Ranges [16k, 16k + 4]: gaps of 11 between neighbours, so every summary is non-trivial.</summary>
    private static RangeTree<int> Tree(int count)
    {
        var tree = new RangeTree<int>();
        for (int k = 0; k < count; k++)
            tree.Insert((ulong)k * 16, ((ulong)k * 16) + 4, k);
        tree.CheckInvariants();
        return tree;
    }

    private static object Root(RangeTree<int> tree) => Get<object>(tree, "root");

    /// <summary>A tree of height 1: a root branch over a handful of leaves.</summary>
    private static (RangeTree<int> Tree, object Root, object FirstLeaf) TwoLevels()
    {
        var tree = Tree(40);
        var root = Root(tree);
        var first = FirstSlot(root, "Child");
        Assert.Equal("Leaf", first.GetType().Name);
        return (tree, root, first);
    }

    [Fact]
    public void A_wrong_count_is_caught()
    {
        var tree = Tree(5);
        SetProperty(tree, nameof(tree.Count), 6);
        ExpectViolation(tree.CheckInvariants, "holds 5 ranges but counts 6");
    }

    [Fact]
    public void A_stale_root_summary_is_caught()
    {
        var tree = Tree(5);
        Set(Root(tree), "Own", null);
        ExpectViolation(tree.CheckInvariants, "root has a stale own summary");
    }

    [Fact]
    public void A_broken_leaf_chain_is_caught()
    {
        var (tree, _, first) = TwoLevels();
        Set(first, "Next", null);
        ExpectViolation(tree.CheckInvariants, "leaf chain broken after leaf 0");
    }

    [Fact]
    public void An_underfull_leaf_below_the_root_is_caught()
    {
        var (tree, _, first) = TwoLevels();
        Set(first, "Count", 3);
        ExpectViolation(tree.CheckInvariants, "node at level 0 holds 3 entries");
    }

    [Fact]
    public void An_overfull_node_is_caught()
    {
        var tree = Tree(5);
        Set(Root(tree), "Count", RangeTree<int>.Width + 1);
        ExpectViolation(tree.CheckInvariants, "node at level 0 holds 17 entries");
    }

    [Fact]
    public void A_root_branch_with_one_child_is_caught()
    {
        var (tree, root, _) = TwoLevels();
        Set(root, "Count", 1);
        ExpectViolation(tree.CheckInvariants, "node at level 1 holds 1 entries");
    }

    [Fact]
    public void An_inverted_first_range_is_caught()
    {
        var tree = Tree(5);
        SetSlot(Root(tree), "Last", 0, 0UL);
        SetSlot(Root(tree), "Start", 0, 1UL);
        ExpectViolation(tree.CheckInvariants, "range [0x1, 0x0] is inverted or overlaps");
    }

    [Fact]
    public void A_range_starting_on_its_predecessors_last_is_caught()
    {
        var tree = Tree(5);
        SetSlot(Root(tree), "Start", 1, 4UL);
        ExpectViolation(tree.CheckInvariants, "range [0x4, 0x14] is inverted or overlaps");
    }

    [Fact]
    public void A_stale_leaf_gap_summary_is_caught()
    {
        var tree = Tree(5);
        SetSlot(Root(tree), "LeadFit", 2, GapFit.None);
        ExpectViolation(tree.CheckInvariants, "leaf entry 0x20 has a stale gap summary");
    }

    [Fact]
    public void A_stale_child_summary_is_caught()
    {
        var (tree, _, first) = TwoLevels();
        Set(first, "Own", null);
        ExpectViolation(tree.CheckInvariants, "child 0 at level 1 has a stale own summary");
    }

    [Fact]
    public void A_stale_copy_of_a_child_summary_in_its_branch_is_caught()
    {
        var (tree, root, _) = TwoLevels();
        SetSlot(root, "OwnGap", 0, Slot<ulong>(root, "OwnGap", 0) + 1);
        ExpectViolation(tree.CheckInvariants, "branch child 0 at level 1 has a stale summary");
    }

    [Theory]
    [InlineData("InterFit")]
    [InlineData("LeadGap")]
    [InlineData("LeadFit")]
    public void A_stale_lead_summary_is_caught(string row)
    {
        var (tree, root, _) = TwoLevels();
        if (row == "LeadGap")
            SetSlot(root, row, 1, Slot<ulong>(root, row, 1) + 1);
        else
            SetSlot(root, row, 1, new GapFit(60, 1));
        ExpectViolation(tree.CheckInvariants, "branch child 1 at level 1 has a stale lead summary");
    }
}
