using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// Header prediction for GET_INFO chains: every kernel writer (docs/SPEC.md §3) emits one fixed chain
/// of headers ending in IOVA_RANGE, so the reader compares the headers at their predicted
/// offsets with constants — independent loads — instead of chasing <c>next</c> one dependent
/// load at a time. A match proves every rule of the walk up to IOVA_RANGE's ranges: the offsets
/// point strictly forward, every header fits, MIGRATION and DMA_AVAIL fit their extents, and
/// IOVA_RANGE (the last, <c>next</c> 0) has room for its fixed part. Anything else is left to
/// the walk, which also names the error.
/// </summary>
internal static class KernelChainPrediction
{
    private const int MigrationAt = Type1Info.HeaderSize;
    private const int DmaAvailAfterMigration = MigrationAt + MigrationCapLayout.Size;
    private const int V66IovaRange = DmaAvailAfterMigration + DmaAvailCapLayout.PaddedSize;
    private const int PreV66IovaRange = DmaAvailAfterMigration + DmaAvailCapLayout.Size;
    private const int CompatIovaRange = Type1Info.HeaderSize + DmaAvailCapLayout.PaddedSize;

    private const int NextShift = 8 * CapHeader.NextOffset;
    private const ulong Migration = ((ulong)DmaAvailAfterMigration << NextShift) | CapHeader.Version1 | (ulong)CapId.Migration;
    private const ulong V66DmaAvail = ((ulong)V66IovaRange << NextShift) | CapHeader.Version1 | (ulong)CapId.DmaAvail;
    private const ulong PreV66DmaAvail = ((ulong)PreV66IovaRange << NextShift) | CapHeader.Version1 | (ulong)CapId.DmaAvail;
    private const ulong CompatDmaAvail = ((ulong)CompatIovaRange << NextShift) | CapHeader.Version1 | (ulong)CapId.DmaAvail;
    private const ulong LastIovaRange = CapHeader.Version1 | (ulong)CapId.IovaRange;

    /// <summary>Offset 0 is the fixed header, never a capability.</summary>
    private const int Unpredicted = 0;

    /// <summary>Where IOVA_RANGE is when the chain is one a kernel writes, with its fixed part inside <paramref name="data"/>; else -1.</summary>
    public static int IovaRangeOf(ReadOnlySpan<byte> data, uint capOffset)
    {
        if (capOffset != Type1Info.HeaderSize || data.Length < MigrationAt + CapHeader.Size)
            return -1;

        int at = InfoBytes.U64(data, MigrationAt) switch
        {
            CompatDmaAvail => CompatIovaRange,
            Migration when data.Length >= DmaAvailAfterMigration + CapHeader.Size => InfoBytes.U64(data, DmaAvailAfterMigration) switch
            {
                V66DmaAvail => V66IovaRange,
                PreV66DmaAvail => PreV66IovaRange,
                _ => Unpredicted,
            },
            _ => Unpredicted,
        };
        return at != Unpredicted && data.Length >= at + IovaRangeCapLayout.RangesOffset && InfoBytes.U64(data, at) == LastIovaRange ? at : -1;
    }
}
