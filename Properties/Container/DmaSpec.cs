using FsCheck;
using FsCheck.Fluent;
using Harness.Model;

namespace Harness.Properties;

/// <summary>One container.dma run: the container's parameters and the group attached before the first call.</summary>
public sealed record DmaSetup(ContainerSetup Container, IommuGroup Group)
{
    public override string ToString() => $"{Container}, attached {Group}";
}

/// <summary>
/// The DMA tracking and GET_INFO of a type1 container against the model's (docs/SPEC.md §2, §3):
/// MAP_DMA, UNMAP_DMA (VADDR included) and GET_INFO on a container whose one group the model
/// attached before the first call, so an implementation of only vfio_iommu_type1.c's mapping
/// code (a native one, or the kernel's own) starts from the same valid list. Every errno,
/// unmapped count and GET_INFO byte identical; the mappings and dma_avail identical after
/// every call. GET_INFO is the profile's first type1 layout, into buffers at least argsz long:
/// what the kernel does with a shorter one depends on the memory past it, which the model's
/// EFAULT does not (docs/SPEC.md §3). With <paramref name="withoutMissedOverlaps"/>, no MAP goes
/// over a mapping that a pre-v6.18 search can miss (<see cref="MayMissOverlap"/>): what conform
/// checks of the kernels that wrap there (docs/SPEC.md §2), once it has shown the miss.
/// </summary>
public sealed class DmaSpec(KernelProfile profile, bool withoutMissedOverlaps = false) : MachineSpec<IVfioContainer, DmaSetup>
{
    private readonly ContainerSpec container = new(profile);

    private static readonly InfoLayout[] Type1Layouts = [InfoLayout.Type1V66, InfoLayout.Type1PreV66];

    public override Gen<DmaSetup> Setups { get; } =
        from setup in new ContainerSpec(profile).Setups
        from first in Gen.Choose(1, 4).SelectMany(GroupGen.Group).Where(g => Attached(new DmaSetup(setup, g)).State.Groups.Count == 1)
        select new DmaSetup(setup with { Layout = profile.Layouts.First(Type1Layouts.Contains) }, first);

    public override IEnumerable<DmaSetup> ShrinkSetup(DmaSetup setup) =>
        container.ShrinkSetup(setup.Container).Where(c => c.Layout == setup.Container.Layout).Select(c => setup with { Container = c })
            .Concat(GroupGen.Shrink(setup.Group).Select(g => setup with { Group = g }).Where(s => Attached(s).State.Groups.Count == 1));

    /// <summary>The model's container for the setup, its group attached.</summary>
    public static ModelContainer Attached(DmaSetup setup)
    {
        var model = (ModelContainer)new ContainerSpec(setup.Container.Kernel).CreateModel(setup.Container);
        model.AttachGroup(setup.Group);
        return model;
    }

    public override IVfioContainer CreateModel(DmaSetup setup) => Attached(setup);

    /// <summary>The optimized container for a setup, its group attached.</summary>
    public static IVfioContainer CreateImplementation(DmaSetup setup)
    {
        var implementation = ContainerSpec.CreateImplementation(setup.Container);
        implementation.AttachGroup(setup.Group);
        return implementation;
    }

    public override IVfioContainer Clone(IVfioContainer model) => ((ModelContainer)model).Clone();

    public override Gen<Op<IVfioContainer>> Next(DmaSetup setup, IVfioContainer model)
    {
        var state = model.State;
        ulong pgsize = IovaPgsizes.MinPageSize(state.IovaPgsizes);
        var next = Gen.Frequency(
        [
            (6, ContainerSpec.MapDma(state, pgsize)),
            (3, ContainerSpec.UnmapDma(state, pgsize)),
            .. ContainerSpec.Deep(setup.Container, state, pgsize),
            (state.Mappings.Count > 0 ? 1 : 0, ContainerSpec.Vaddr(state, pgsize)),
            (2, ContainerSpec.GetInfo(model, shorterBuffers: false)),
        ]);
        return withoutMissedOverlaps ? next.Where(op => !MayMissOverlap(state, op)) : next;
    }

    /// <summary>A MAP whose range, computed without wrapping, reaches 2^64 - 1 or past it.</summary>
    public static bool MapReachesLastPage(Op<IVfioContainer> op) => op switch
    {
        MapDmaOp map => Reaches(map.Iova, map.Size),
        MapRunOp run => Reaches(run.Iova, (UInt128)run.Size * (uint)run.Count),
        _ => false,
    };

    private static bool Reaches(ulong iova, UInt128 size) => size != 0 && iova + size > ulong.MaxValue;

    /// <summary>
    /// A MAP (or a run) over a live mapping where the kernel's search before v6.18 can miss it:
    /// a mapping ending at 2^64 − 1 is live, or the MAP's own range reaches there (docs/SPEC.md §2
    /// "Top of the address space"). What follows the miss is the IOMMU domain's to say.
    /// </summary>
    public static bool MayMissOverlap(ContainerState state, Op<IVfioContainer> op)
    {
        (ulong iova, UInt128 size) = op switch
        {
            MapDmaOp map => (map.Iova, (UInt128)map.Size),
            MapRunOp run => (run.Iova, (UInt128)run.Size * (uint)run.Count),
            _ => (0UL, UInt128.Zero),
        };
        if (size == 0 || !(Reaches(iova, size) || state.Mappings.Any(m => m.Range.Last == ulong.MaxValue)))
            return false;
        UInt128 end = iova + size;
        return state.Mappings.Any(m => m.Iova < end && m.Range.Last >= iova);
    }

    public override void Compare(IVfioContainer model, IVfioContainer implementation, Op<IVfioContainer> op)
    {
        var expected = model.State;
        var actual = implementation.State;
        var want = expected.Mappings.Select(Observable);
        var got = actual.Mappings.Select(Observable);
        if (!want.SequenceEqual(got) || expected.DmaAvail != actual.DmaAvail)
            throw new Divergence("mappings differ", Describe(expected), Describe(actual));
    }

    /// <summary>What userspace can see of a mapping: not where the IOMMU maps it.</summary>
    private static (ulong Iova, ulong Size, ulong Vaddr, DmaMapFlags Prot, bool VaddrInvalid) Observable(DmaMapping m) =>
        (m.Iova, m.Size, m.Vaddr, m.Prot, m.VaddrInvalid);

    private static string Describe(ContainerState state) =>
        $"dma_avail {state.DmaAvail} mappings [{string.Join("; ", state.Mappings.Select(m => (m with { Phys = m.Vaddr }).ToString()))}]";
}
