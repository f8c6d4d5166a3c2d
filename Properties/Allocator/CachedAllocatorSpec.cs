using FsCheck;
using Harness.Model;

namespace Harness.Properties;

/// <summary>
/// An allocator with a size cache against docs/SPEC.md §5's weaker contract. The answers may differ
/// from the model's, so outcomes are not compared; the implementation runs inside a
/// <see cref="ValidityCheckedAllocator"/> that checks every answer for validity and completeness.
/// Frees name "the n-th live allocation" so they hit real allocations on either side.
/// </summary>
public sealed class CachedAllocatorSpec(AllocPolicy policy) : MachineSpec<IIovaAllocator, AllocatorSetup>
{
    /// <summary>Deep runs fill the depot thousands deep: one case in ten is enough.</summary>
    private readonly AllocatorSpec plain = new(policy, KernelProfiles.Ideal, deepOneIn: 10);

    public AllocPolicy Policy => policy;

    public override Gen<AllocatorSetup> Setups => plain.Setups;

    public override IEnumerable<AllocatorSetup> ShrinkSetup(AllocatorSetup setup) => plain.ShrinkSetup(setup);

    public override IIovaAllocator CreateModel(AllocatorSetup setup) => plain.CreateModel(setup);

    public override IIovaAllocator Clone(IIovaAllocator model) => plain.Clone(model);

    public override Gen<Op<IIovaAllocator>> Next(AllocatorSetup setup, IIovaAllocator model) =>
        AllocatorGen.Next(setup, model.Allocations.ToList(), withFreeNth: true, rcacheFloor: policy.LowestPfn(setup.Domain));

    public override bool OutcomesMustMatch => false;

    public override void Compare(IIovaAllocator model, IIovaAllocator implementation, Op<IIovaAllocator> op)
    {
    }
}
