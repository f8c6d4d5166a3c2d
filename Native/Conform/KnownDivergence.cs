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
    /// docs/SPEC.md §2: before v6.18, vfio_find_dma's <c>iova + size</c> wraps for a range ending
    /// at 2^64 − 1, so a MAP over such a mapping, or one reaching there itself, may find no
    /// overlap; the conform shim has no IOMMU domain, so the kernel records the overlapping mapping
    /// where a domain's iommu_map (and the model) refuse the page with EEXIST. container.dma and
    /// container.groups both reach it.
    /// </summary>
    public static IReadOnlyList<KnownDivergence> MissedOverlap { get; } =
    [
        Missed("container.dma", library => NativeProperties.ContainerDma(library, library.Profile, withoutMissedOverlaps: true)),
        Missed("container.groups", library => NativeProperties.ContainerGroups(library, library.Profile, withoutMissedOverlaps: true)),
    ];

    public static IReadOnlyList<KnownDivergence> All { get; } = MissedOverlap;

    private static KnownDivergence Missed(string property, Func<NativeImplementation, ICheckProperty> remainder) => new(
        ConformSurface.Type1,
        property,
        new Version(6, 18),
        "a MAP over a mapping at the last page, or reaching it, is missed by the wrapping search and recorded over it by the domainless shim (SPEC §2): the kernel's bug, fixed in v6.18 by \"vfio/type1: handle DMA map/unmap up to the addressable limit\" (Alex Mastro, 2025)",
        IsMissedOverlap,
        remainder,
        "no MAP over a missed overlap");

    /// <summary>The diverging call is a MAP the model refuses with EEXIST, and it or an earlier MAP reaches the last page.</summary>
    private static bool IsMissedOverlap(Counterexample counterexample)
    {
        var ops = Ops(counterexample);
        if (counterexample.FailedStep >= ops.Count || ops[counterexample.FailedStep] is not (MapDmaOp or MapRunOp))
            return false;
        return counterexample.Model?.Contains(nameof(Model.Errno.EEXIST), StringComparison.Ordinal) == true
            && ops.Take(counterexample.FailedStep + 1).Any(DmaSpec.MapReachesLastPage);
    }

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
