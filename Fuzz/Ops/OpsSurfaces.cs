using Harness.Model;
using Harness.Properties;

namespace Harness.Fuzz;

/// <summary>
/// The machines the <c>ops</c> target drives, in a fixed order (byte 0 of an input picks one, so
/// the order is part of every corpus file's meaning: append, never reorder). The first seven
/// predate profiles and stay under the ideal one; the default profile's surfaces follow, iommufd's
/// compat IOAS last.
/// </summary>
public static class OpsSurfaces
{
    /// <summary>The shipped implementation on every surface, or <paramref name="planted"/>'s subject on the surface its property belongs to.</summary>
    public static IReadOnlyList<IOpsSurface> Create(ICheckProperty? planted = null) =>
    [
        .. Allocators(KernelProfiles.Ideal, planted),
        Surface(PropertyCatalogue.CachedAllocator(AllocPolicy.TopDown), new AllocatorDecoder(freeByIndex: true, KernelProfiles.Ideal), planted),
        Surface(PropertyCatalogue.CachedAllocator(AllocPolicy.LowestFit), new AllocatorDecoder(freeByIndex: true, KernelProfiles.Ideal), planted),
        Surface(PropertyCatalogue.PageTable, new PageTableDecoder(), planted),
        Container(KernelProfiles.Ideal, planted),
        EndToEnd(KernelProfiles.Ideal, planted),
        .. Allocators(KernelProfiles.Default, planted),
        EndToEnd(KernelProfiles.Default, planted),
        Container(KernelProfiles.Default, planted),
        Surface(PropertyCatalogue.ContainerIommufd(KernelProfiles.Default), new ContainerDecoder(KernelProfiles.Default, ioas: true), planted),
    ];

    private static IOpsSurface Container(KernelProfile profile, ICheckProperty? planted) =>
        Surface(PropertyCatalogue.Container(profile), new ContainerDecoder(profile), planted);

    private static IEnumerable<IOpsSurface> Allocators(KernelProfile profile, ICheckProperty? planted) =>
        PropertyCatalogue.Policies(profile).Select(policy => Surface(PropertyCatalogue.Allocator(policy, profile), new AllocatorDecoder(freeByIndex: false, profile), planted));

    private static IOpsSurface EndToEnd(KernelProfile profile, ICheckProperty? planted) =>
        Surface(PropertyCatalogue.EndToEnd(profile), new DmaStackDecoder(profile), planted);

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
