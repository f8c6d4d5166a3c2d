using System.Text.Json;
using Harness.Properties;

namespace Harness.Native.Conform;

/// <summary>
/// A way some kernels' code departs from their profile that docs/SPEC.md explains: the surface and
/// property it shows in, the first version without it, how to recognise its shrunk counterexample,
/// and the property that checks the rest of the surface with it kept out of reach. conform reports
/// such a counterexample as explained, and runs the rest as a row of its own.
/// </summary>
public sealed record KnownDivergence(
    ConformSurface Surface,
    string Property,
    Version FixedIn,
    string Explanation,
    Func<Counterexample, bool> Recognises,
    Func<NativeImplementation, ICheckProperty> Remainder,
    string RemainderLabel)
{
    /// <summary>
    /// docs/SPEC.md §2: before v6.18, vfio_find_dma, vfio_find_dma_first_node and the unmap loop
    /// compute iova + size, which wraps to 0 for a range ending at 2^64 - 1; container.dma and
    /// container.groups both reach it.
    /// </summary>
    public static IReadOnlyList<KnownDivergence> TopOfSpaceWrap { get; } =
    [
        Wrap("container.dma", library => NativeProperties.ContainerDma(library, library.Profile, belowLastPage: true)),
        Wrap("container.groups", library => NativeProperties.ContainerGroups(library, library.Profile, belowLastPage: true)),
    ];

    public static IReadOnlyList<KnownDivergence> All { get; } = TopOfSpaceWrap;

    private static KnownDivergence Wrap(string property, Func<NativeImplementation, ICheckProperty> remainder) => new(
        ConformSurface.Type1,
        property,
        new Version(6, 18),
        "iova + size wraps at the last page (SPEC §2): the kernel's bug, fixed in v6.18 by \"vfio/type1: handle DMA map/unmap up to the addressable limit\" (Alex Mastro, 2025)",
        counterexample => Ops(counterexample).Any(DmaSpec.ReachesLastPage),
        remainder,
        "below the last page");

    /// <summary>The known divergences a tree's version has on a surface.</summary>
    public static IEnumerable<KnownDivergence> Of(KernelTree tree, ConformSurface surface) =>
        All.Where(k => k.Surface == surface && tree.Version < k.FixedIn);

    private static List<ContainerOp> Ops(Counterexample counterexample)
    {
        try
        {
            return counterexample.File.Ops.Deserialize<List<ContainerOp>>(HexJson.Options) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
