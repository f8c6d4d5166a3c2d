using Harness.Model;
using Harness.Properties;

namespace Harness.Fuzz;

/// <summary>
/// The machines the <c>ops</c> target drives, in a fixed order (byte 0 of an input picks one, so
/// the order is part of every corpus file's meaning: append, never reorder).
/// </summary>
public static class OpsSurfaces
{
    /// <summary>The shipped implementation on every surface, or <paramref name="planted"/>'s subject on the surface its property belongs to.</summary>
    public static IReadOnlyList<IOpsSurface> Create(ICheckProperty? planted = null) =>
    [
        Surface(PropertyCatalogue.Allocator(AllocPolicy.TopDown), new AllocatorDecoder(freeByIndex: false), planted),
        Surface(PropertyCatalogue.Allocator(AllocPolicy.LowestFit), new AllocatorDecoder(freeByIndex: false), planted),
        Surface(PropertyCatalogue.CachedAllocator(AllocPolicy.TopDown), new AllocatorDecoder(freeByIndex: true), planted),
        Surface(PropertyCatalogue.CachedAllocator(AllocPolicy.LowestFit), new AllocatorDecoder(freeByIndex: true), planted),
        Surface(PropertyCatalogue.PageTable, new PageTableDecoder(), planted),
        Surface(PropertyCatalogue.Container, new ContainerDecoder(), planted),
        Surface(PropertyCatalogue.EndToEnd, new DmaStackDecoder(), planted),
    ];

    /// <summary>Whether <paramref name="planted"/> replaces one of the surfaces (its property is a machine this target drives).</summary>
    public static bool Reaches(ICheckProperty planted) => Create(planted).Any(s => s.Name == planted.Name);

    private static IOpsSurface Surface<TSubject, TSetup, TOp>(
        MachineProperty<TSubject, TSetup, TOp> shipped, IOpDecoder<TSubject, TSetup> decoder, ICheckProperty? planted)
        where TSetup : notnull
        where TOp : Op<TSubject>
    {
        var property = planted is MachineProperty<TSubject, TSetup, TOp> bug && bug.Name.StartsWith(shipped.Name + "@", StringComparison.Ordinal)
            ? bug
            : shipped;
        return new OpsSurface<TSubject, TSetup, TOp>(property, decoder);
    }
}
