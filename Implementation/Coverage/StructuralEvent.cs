namespace Harness.Implementation;

/// <summary>
/// The Implementation's structural events: where its code is rare and its bugs hide (a leaf
/// merge, a depot push, a block split). Each is named by its subsystem, then what happened.
/// </summary>
public enum StructuralEvent
{
    TreeLeafSplit,
    TreeBranchSplit,
    TreeRootGrowth,
    TreeLeafMerge,
    TreeBranchMerge,
    TreeBorrowFromLeft,
    TreeBorrowFromRight,
    TreeRootShrink,
    TreeSummaryRescan,
    RcacheMagazineSwap,
    RcacheDepotPush,
    RcacheDepotPop,
    RcacheDepotOverflow,
    RcacheFlush,
    PageTableBlockInstall,
    PageTableBlockSplit,
    PageTableTableFree,
    ContainerListRefresh,
    ContainerMsiWindowFull,
    ParserChainPredicted,
    ParserChainWalked,
}
