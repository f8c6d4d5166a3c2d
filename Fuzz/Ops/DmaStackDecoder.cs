using Harness.Model;
using Harness.Properties;

namespace Harness.Fuzz;

/// <summary>The end-to-end flow's steps (attach a platform, refresh, allocate and map, unmap, translate, doorbell, detach), one record each, under <paramref name="profile"/>.</summary>
public sealed class DmaStackDecoder(KernelProfile profile) : IOpDecoder<DmaStack, DmaStackSetup>
{
    private static readonly ulong[] Doorbells = [0x2f02_0040, 0x2f04_0000, 0xfee0_1000];
    private static readonly ulong[] Offsets = [0, 1, 0xfff, 0x1000];

    public DmaStackSetup Setup(OpRecord record) => new(record.Pick(0, profile.Type1Layouts), profile.Name);

    public Op<DmaStack> Call(OpRecord record, DmaStackSetup setup, DmaStack model) => record.Kind(16) switch
    {
        < 2 => new AttachPlatformOp(record[1] % AttachPlatformOp.Platforms.Count, 1 + (record[2] % 3)),
        2 => new DetachGroupOp(1 + (record[1] % 3)),
        < 5 => new RefreshOp(),
        < 10 => new MapNextOp(record[1] < 200 ? 1 + (ulong)(record[1] % 8) : 9 + (ulong)(record.U16(2) % 592)),
        < 12 => new UnmapNthOp(record[1]),
        < 15 => new TranslateNthOp(record[1], record[2] < 200 ? record.Pick(2, Offsets) : record.Landmark(3)),
        _ => new DoorbellOp(record.Pick(1, Doorbells)),
    };
}
