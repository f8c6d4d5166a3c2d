using Harness.Model;

namespace Harness.Mutants;

/// <summary>A container that passes every call to the shipped one; a planted bug overrides the one call it lives in.</summary>
public abstract class ContainerDecorator(IVfioContainer inner) : IVfioContainer, IInvariantChecked
{
    protected IVfioContainer Inner { get; } = inner;

    public bool AllowUnsafeInterrupts { get => Inner.AllowUnsafeInterrupts; set => Inner.AllowUnsafeInterrupts = value; }

    public ContainerState State => Inner.State;

    public virtual Errno AttachGroup(IommuGroup group) => Inner.AttachGroup(group);

    public Errno DetachGroup(int groupId) => Inner.DetachGroup(groupId);

    public virtual Errno MapDma(ulong iova, ulong size, ulong vaddr, DmaMapFlags flags) => Inner.MapDma(iova, size, vaddr, flags);

    public virtual Errno UnmapDma(ulong iova, ulong size, DmaUnmapFlags flags, out ulong unmapped) => Inner.UnmapDma(iova, size, flags, out unmapped);

    public virtual Errno GetInfo(Span<byte> buffer) => Inner.GetInfo(buffer);

    public virtual Errno PrepareMsi(ulong doorbell, out ulong msiIova) => Inner.PrepareMsi(doorbell, out msiIova);

    public bool Translate(ulong iova, out ulong phys, out IommuProt prot) => Inner.Translate(iova, out phys, out prot);

    public void CheckInvariants() => (Inner as IInvariantChecked)?.CheckInvariants();
}
