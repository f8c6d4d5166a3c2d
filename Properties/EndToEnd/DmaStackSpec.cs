using FsCheck;
using FsCheck.Fluent;
using Harness.Implementation;
using Harness.Model;

namespace Harness.Properties;

/// <summary>
/// The end-to-end flow of DESIGN.md, model stack against implementation stack: platform groups
/// attached, GET_INFO parsed, IOVAs allocated from the parsed list and mapped, translated,
/// unmapped, groups detached. Every step's answer must match, both containers' states must
/// match, and the stack's invariants (an allocated IOVA always maps; no mapping or doorbell in
/// a reserved region; translations land on the mapped vaddr) must hold on both sides. The stack's
/// container is type1's (iommufd's compat IOAS has container.iommufd).
/// </summary>
public sealed class DmaStackSpec(KernelProfile profile) : MachineSpec<DmaStack, DmaStackSetup>
{
    public override Gen<DmaStackSetup> Setups { get; } =
        from layout in Gen.Elements<InfoLayout>(profile.Type1Layouts)
        from deep in Gen.Frequency([(19, Gen.Constant(false)), (1, Gen.Constant(true))])
        select new DmaStackSetup(layout, profile.Name, deep);

    public override IEnumerable<DmaStackSetup> ShrinkSetup(DmaStackSetup setup)
    {
        if (setup.Layout != setup.Kernel.Type1Layouts[0])
            yield return setup with { Layout = setup.Kernel.Type1Layouts[0] };
        if (setup.Deep)
            yield return setup with { Deep = false };
    }

    public override DmaStack CreateModel(DmaStackSetup setup) =>
        new(new ModelContainer(setup.Layout, listRules: setup.Kernel.IovaList, findDma: setup.Kernel.FindDma, resvMerge: setup.Kernel.ResvMerge), new ModelCapChainParser(), domain => ModelAllocators.Create(domain, AllocPolicy.TopDown, setup.Kernel));

    /// <summary>The optimized container, fast parser and allocator, as one stack.</summary>
    public static DmaStack CreateImplementation(DmaStackSetup setup) =>
        new(new VfioContainer(setup.Layout, listRules: setup.Kernel.IovaList, findDma: setup.Kernel.FindDma, resvMerge: setup.Kernel.ResvMerge), new FastCapChainParser(), domain => IovaAllocators.Create(domain, AllocPolicy.TopDown, setup.Kernel));

    public override DmaStack Clone(DmaStack model) =>
        model.Clone(c => ((ModelContainer)c).Clone(), ModelAllocators.Clone);

    public override Gen<Op<DmaStack>> Next(DmaStackSetup setup, DmaStack model)
    {
        bool noGroup = model.Container.State.Groups.Count == 0;
        return Gen.Frequency(
        [
            (noGroup ? 6 : 1, from platform in Gen.Choose(0, AttachPlatformOp.Platforms.Count - 1) from id in Gen.Choose(1, 3) select (Op<DmaStack>)new AttachPlatformOp(platform, id)),
            (1, Gen.Choose(1, 3).Select(id => (Op<DmaStack>)new DetachGroupOp(id))),
            (model.Allocator is null ? 6 : 1, Gen.Constant<Op<DmaStack>>(new RefreshOp())),
            (6, Gen.Frequency([(4, Gen.Choose(1, 8)), (1, Gen.Choose(9, 600))]).Select(p => (Op<DmaStack>)new MapNextOp((ulong)p))),
            (3, Gen.Choose(0, 32).Select(i => (Op<DmaStack>)new UnmapNthOp(i))),
            (setup.Deep ? 2 : 0, from count in Gen.Frequency([(4, Gen.Choose(16, 48)), (1, Gen.Choose(150, 300))])
                from pages in Gen.Frequency([(4, Gen.Constant(1UL)), (1, Gen.Elements(2UL, 4UL))])
                select (Op<DmaStack>)new MapNextOp(pages, count)),
            (setup.Deep && model.Live.Count >= 8 ? 4 : 0, from span in Neighbours.Span(Math.Max(1, model.Live.Count))
                from fromLast in Gen.Elements(false, true)
                select (Op<DmaStack>)new UnmapNthOp(span.First, span.Last - span.First + 1, fromLast)),
            (3, from i in Gen.Choose(0, 32) from offset in Gen.Frequency([(3, Gen.Elements(0UL, 1UL, 0xfffUL, 0x1000UL)), (1, Edges.Any)]) select (Op<DmaStack>)new TranslateNthOp(i, offset)),
            (1, Gen.Elements(0x2f02_0040UL, 0x2f04_0000UL, 0xfee0_1000UL).Select(a => (Op<DmaStack>)new DoorbellOp(a))),
        ]);
    }

    public override void Compare(DmaStack model, DmaStack implementation, Op<DmaStack> op)
    {
        var expected = model.Container.State;
        var actual = implementation.Container.State;
        if (!expected.Equals(actual))
            throw new Divergence("container state differs", expected.ToString(), actual.ToString());
        if (!model.Live.SequenceEqual(implementation.Live))
            throw new Divergence("the stacks' mappings differ", string.Join(", ", model.Live), string.Join(", ", implementation.Live));
    }
}
