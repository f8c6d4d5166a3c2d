using Harness.Implementation;
using Harness.Model;
using Harness.Tests.Contracts;

namespace Harness.Tests.Implementation;

public sealed class VfioContainerTests : ContainerContract
{
    protected override IVfioContainer Create(InfoLayout layout, uint dmaEntryLimit, IovaListRules listRules, FindDmaRules findDma) => new CheckedContainer(new VfioContainer(layout, dmaEntryLimit, listRules, findDma));

    /// <summary>Runs <see cref="VfioContainer.CheckInvariants"/> after every call.</summary>
    private sealed class CheckedContainer(VfioContainer inner) : IVfioContainer
    {
        public bool AllowUnsafeInterrupts { get => inner.AllowUnsafeInterrupts; set => inner.AllowUnsafeInterrupts = value; }

        public ContainerState State => inner.State;

        public Errno AttachGroup(IommuGroup group) => Checked(inner.AttachGroup(group));

        public Errno DetachGroup(int groupId) => Checked(inner.DetachGroup(groupId));

        public Errno MapDma(ulong iova, ulong size, ulong vaddr, DmaMapFlags flags) => Checked(inner.MapDma(iova, size, vaddr, flags));

        public Errno UnmapDma(ulong iova, ulong size, DmaUnmapFlags flags, out ulong unmapped) => Checked(inner.UnmapDma(iova, size, flags, out unmapped));

        public Errno GetInfo(Span<byte> buffer) => Checked(inner.GetInfo(buffer));

        public Errno PrepareMsi(ulong doorbell, out ulong msiIova) => Checked(inner.PrepareMsi(doorbell, out msiIova));

        public bool Translate(ulong iova, out ulong phys, out IommuProt prot) => inner.Translate(iova, out phys, out prot);

        private Errno Checked(Errno result)
        {
            inner.CheckInvariants();
            return result;
        }
    }
}
