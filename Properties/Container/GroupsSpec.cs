using FsCheck;
using FsCheck.Fluent;
using Harness.Model;

namespace Harness.Properties;

/// <summary>
/// Attaching and detaching groups on a type1 container, MAP_DMA, UNMAP_DMA and GET_INFO between,
/// against the model's (docs/SPEC.md §2, §3): what vfio_iommu_type1_attach_group and _detach_group
/// make of apertures, reserved regions, shared domains and page sizes, seen as userspace sees it
/// (every errno, count and GET_INFO byte; the mappings, valid list, page sizes and dma_avail after
/// every call), without MSI doorbells or translation, which a native type1 surface has no calls
/// for. Groups always have 4K among their page sizes: a domain whose sizes share none with the
/// container's is refused by the model's choice and gives the kernel a page-size bitmap of 0,
/// whose MAP_DMA is undefined (docs/SPEC.md §2 "Page sizes"). <paramref name="withoutMissedOverlaps"/> as
/// for <see cref="DmaSpec"/>.
/// </summary>
public sealed class GroupsSpec(KernelProfile profile, bool withoutMissedOverlaps = false) : MachineSpec<IVfioContainer, ContainerSetup>
{
    private readonly ContainerSpec container = new(profile);

    private static readonly InfoLayout[] Type1Layouts = [InfoLayout.Type1V66, InfoLayout.Type1PreV66];

    public override Gen<ContainerSetup> Setups { get; } =
        from setup in new ContainerSpec(profile).Setups
        select setup with { Layout = profile.Layouts.First(Type1Layouts.Contains) };

    public override IEnumerable<ContainerSetup> ShrinkSetup(ContainerSetup setup) =>
        container.ShrinkSetup(setup).Where(s => s.Layout == setup.Layout);

    public override IVfioContainer CreateModel(ContainerSetup setup) => container.CreateModel(setup);

    public override IVfioContainer Clone(IVfioContainer model) => container.Clone(model);

    public override Gen<Op<IVfioContainer>> Next(ContainerSetup setup, IVfioContainer model)
    {
        var state = model.State;
        ulong pgsize = state.IovaPgsizes == 0 ? Vfio.PageSize : IovaPgsizes.MinPageSize(state.IovaPgsizes);
        var next = Gen.Frequency(
        [
            (state.Groups.Count == 0 ? 8 : 3, Gen.Choose(1, 4).SelectMany(GroupGen.Group).Where(g => (g.PgsizeBitmap & Vfio.PageSize) != 0).Select(g => (Op<IVfioContainer>)new AttachOp(g))),
            (setup.Deep && state.Mappings.Count > 0 ? 1 : 2, Gen.Choose(1, 4).Select(id => (Op<IVfioContainer>)new DetachOp(id))),
            (6, ContainerSpec.MapDma(state, pgsize)),
            (3, ContainerSpec.UnmapDma(state, pgsize)),
            .. ContainerSpec.Deep(setup, state, pgsize),
            (state.Mappings.Count > 0 ? 1 : 0, ContainerSpec.Vaddr(state, pgsize)),
            (2, ContainerSpec.GetInfo(model, shorterBuffers: false)),
            (1, Gen.Elements(true, false).Select(allow => (Op<IVfioContainer>)new UnsafeInterruptsOp(allow))),
        ]);
        return withoutMissedOverlaps ? next.Where(op => !DmaSpec.MayMissOverlap(state, op)) : next;
    }

    public override void Compare(IVfioContainer model, IVfioContainer implementation, Op<IVfioContainer> op)
    {
        var expected = Observable(model.State);
        var actual = Observable(implementation.State);
        if (expected != actual)
            throw new Divergence("container state differs", expected, actual);
    }

    /// <summary>What userspace can see: the mappings (not where the IOMMU maps them), the valid list, page sizes and dma_avail.</summary>
    private static string Observable(ContainerState state) =>
        $"pgsizes 0x{state.IovaPgsizes:x} dma_avail {state.DmaAvail} valid [{string.Join(", ", state.ValidIovas)}] " +
        $"mappings [{string.Join("; ", state.Mappings.Select(m => (m with { Phys = m.Vaddr }).ToString()))}]";
}
