using Harness.Model;
using Harness.Properties;

namespace Harness.Fuzz;

/// <summary>
/// Allocator calls (docs/SPEC.md §5): pfns near the domain's start, the 32-bit line, 2^64 - 1 and the
/// live allocations; sizes mostly small; limits at the usual lines. With <paramref name="freeByIndex"/>
/// a free names a live allocation by index, as the rcache property needs (its answers may differ).
/// Every run is under <paramref name="profile"/>.
/// </summary>
public sealed class AllocatorDecoder(bool freeByIndex, KernelProfile profile) : IOpDecoder<IIovaAllocator, AllocatorSetup>
{
    private const int MaxAnchors = 16;

    private static readonly ulong[] Granules = [0x1000, 0x10000, 0x800];
    private static readonly ulong[] Starts = [0, 1, 2, 0x10, 0x40, 0xfffff, 0x100000, ulong.MaxValue - 0x40];
    private static readonly ulong[] HugeSizes = [0, 0x8000_0000_0000_0001, ulong.MaxValue, 1UL << 32];

    public AllocatorSetup Setup(OpRecord record) =>
        new(record.Pick(0, Granules), record.Pick(1, Starts) + (ulong)(record[2] % 4), profile.Name);

    public Op<IIovaAllocator> Call(OpRecord record, AllocatorSetup setup, IIovaAllocator model)
    {
        var live = model.Allocations.Take(MaxAnchors).ToList();
        return record.Kind(8) switch
        {
            3 => Reserve(record, setup, live),
            4 or 5 => freeByIndex ? new FreeNthOp(record[1]) : new FreeOp(Pfn(record, 1, setup, live)),
            6 => new FindOp(Pfn(record, 1, setup, live)),
            _ => new AllocOp(Size(record), Limit(record, setup, live), SizeAligned: (record[7] & 3) != 0),
        };
    }

    private static ReserveOp Reserve(OpRecord record, AllocatorSetup setup, List<IovaRange> live)
    {
        ulong lo = Pfn(record, 1, setup, live);
        ulong length = record[5] < 224 ? (ulong)(record[5] % 9) : record.Landmark(6);
        return new ReserveOp(lo, lo + length < lo ? ulong.MaxValue : lo + length);
    }

    private static ulong Size(OpRecord record) => record[1] switch
    {
        < 192 => 1 + (ulong)(record[1] % 16),
        < 248 => 1 + ((ulong)record[2] << 2) + (ulong)(record[1] & 3),
        _ => record.Pick(2, HugeSizes),
    };

    private static ulong Limit(OpRecord record, AllocatorSetup setup, List<IovaRange> live) => (record[3] % 6) switch
    {
        0 or 1 => ulong.MaxValue,
        2 => 0xfffff,
        3 => setup.StartPfn + (ulong)(record[4] % 64) < setup.StartPfn ? ulong.MaxValue : setup.StartPfn + (ulong)(record[4] % 64),
        4 when live.Count > 0 => record.Near(5, record.Pick(4, live).Last, 1),
        _ => record.Landmark(4),
    };

    /// <summary>A pfn near the domain's start, a line, or a live allocation's first or last pfn.</summary>
    private static ulong Pfn(OpRecord record, int index, AllocatorSetup setup, List<IovaRange> live)
    {
        int anchors = 4 + (2 * live.Count);
        int pick = record[index] % anchors;
        ulong anchor = pick switch
        {
            0 => setup.StartPfn,
            1 => 0xfffff,
            2 => ulong.MaxValue,
            3 => record.Landmark(index + 2),
            _ => (pick - 4) % 2 == 0 ? live[(pick - 4) / 2].Start : live[(pick - 4) / 2].Last,
        };
        return record.Near(index + 1, anchor, 1);
    }
}
