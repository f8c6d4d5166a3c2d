using FsCheck;
using FsCheck.Fluent;
using Harness.Model;

namespace Harness.Properties;

/// <summary>
/// The page table against the model (docs/SPEC.md §6): every call's result identical, and every
/// translation identical at the edges of what was touched and of every mapped extent.
/// Mappings are kept to a few thousand pages unless iova and phys allow blocks. Under a Linux
/// profile the geometries are Arm's (io-pgtable-arm clamps ias to 48 bits, 52 with 64K) with a
/// 48-bit output, and a mapping's physical range lies wholly below 2^48 or starts past it:
/// io-pgtable-arm checks only where each run starts and drops the bits above.
/// </summary>
public sealed class PageTableSpec(KernelProfile profile) : MachineSpec<IIoPageTable, PageTableSetup>
{
    private const IommuProt ReadWrite = IommuProt.Read | IommuProt.Write;
    private const int MaxProbedExtents = 16;
    private const int ArmOas = 48;

    /// <summary>The ideal geometries: 4K at 48, 39 and 64 bits, 16K, 64K, and 4K with software blocks.</summary>
    public static IReadOnlyList<PageTableSetup> Geometries { get; } =
    [
        new(IoPgtableConfig.Size4K, 48, false),
        new(IoPgtableConfig.Size4K, 39, false),
        new(IoPgtableConfig.Size4K, 64, false),
        new(IoPgtableConfig.Size16K, 48, false),
        new(IoPgtableConfig.Size64K, 52, false),
        new(IoPgtableConfig.Size4K, 64, true),
    ];

    /// <summary>The geometries a profile's runs use: Arm's alone under Linux, each recording the profile.</summary>
    public static IReadOnlyList<PageTableSetup> GeometriesFor(KernelProfile profile) => profile.PageTable == PageTableRules.Ideal
        ? Geometries
        : Geometries.Where(g => !g.SoftwareBlocks && g.Ias <= (g.Granule == IoPgtableConfig.Size64K ? 52 : 48))
            .Select(g => g with { Oas = ArmOas, Profile = profile.Name }).ToList();

    public override Gen<PageTableSetup> Setups { get; } = Gen.Elements<PageTableSetup>(GeometriesFor(profile));

    public override IEnumerable<PageTableSetup> ShrinkSetup(PageTableSetup setup)
    {
        var simplest = GeometriesFor(setup.Kernel)[0];
        return setup == simplest ? [] : [simplest];
    }

    public override IIoPageTable CreateModel(PageTableSetup setup) => setup.Kernel.CreatePageTable(setup.Config);

    public override IIoPageTable Clone(IIoPageTable model) => KernelProfilePageTables.ClonePageTable(model);

    public override Gen<Op<IIoPageTable>> Next(PageTableSetup setup, IIoPageTable model)
    {
        var config = setup.Config;
        var extents = KernelProfilePageTables.Extents(model).ToList();
        var iova = Iova(config, extents);
        var size = Size(config);
        var map =
            from at in iova
            from length in size
            from phys in Phys(config, at)
            from prot in Gen.Frequency([(8, Gen.Constant(ReadWrite)), (2, Gen.Elements(IommuProt.Read, IommuProt.Write | IommuProt.NoExec | IommuProt.Mmio, ReadWrite | IommuProt.Cache | IommuProt.Priv)), (1, Gen.Elements(IommuProt.None, (IommuProt)64))])
            select (Op<IIoPageTable>)new MapOp(at, WithinOas(config, phys, length), Affordable(config, at, phys, length), prot);
        var unmap =
            from at in iova
            from length in size
            select (Op<IIoPageTable>)new UnmapOp(at, length);
        return Gen.Frequency([
            (5, map),
            (3, unmap),
            (2, iova.SelectMany(at => Gen.Choose(0, 3).Select(k => (Op<IIoPageTable>)new TranslateOp(at + ((ulong)k * 0x7ff)))))]);
    }

    /// <summary>Near mapped extents, at block boundaries, at the top of the address space, or anywhere.</summary>
    private static Gen<ulong> Iova(IoPgtableConfig config, List<(IovaRange Range, ulong Phys, IommuProt Prot)> extents)
    {
        ulong granule = config.Granule;
        var choices = new List<(int, Gen<ulong>)>
        {
            (3, Gen.Choose(0, 7).Select(k => (ulong)k * 0x20_0000)),
            (2, Gen.Choose(0, 3).Select(k => (ulong)k << 30)),
            (2, Gen.Choose(1, 4).Select(k => config.IovaLast - ((ulong)k * granule) + 1)),
            (1, Edges.Aligned(granule)),
        };
        if (extents.Count > 0)
            choices.Add((5, Gen.Elements(extents.ToArray()).SelectMany(e => Gen.OneOf([Edges.Near(e.Range.Start, granule), Edges.Near(e.Range.Last + 1, granule)]))));
        return Gen.Frequency(choices);
    }

    private static Gen<ulong> Size(IoPgtableConfig config)
    {
        ulong granule = config.Granule;
        ulong block = granule << config.BitsPerLevel;
        return Gen.Frequency([
            (6, Gen.Choose(1, 4).Select(k => (ulong)k * granule)),
            (2, Gen.Elements(block, block + granule, 2 * block, block - granule)),
            (1, Gen.Elements(0UL, granule / 2, 1UL << 30, (1UL << 30) + block))]);
    }

    /// <summary>Phys as aligned as iova (so blocks can be used), a granule off, or anything.</summary>
    private static Gen<ulong> Phys(IoPgtableConfig config, ulong iova) => Gen.Frequency([
        (4, Gen.Choose(0, 64).Select(k => (iova & ((1UL << 30) - 1)) + ((ulong)k << 30))),
        (2, Gen.Choose(1, 16).Select(k => (ulong)k * config.Granule)),
        (1, Edges.Aligned(config.Granule))]);

    /// <summary>A physical range that would cross 2^oas starts there instead (ERANGE), as an Arm table can only answer that.</summary>
    private static ulong WithinOas(IoPgtableConfig config, ulong phys, ulong size)
    {
        if (config.Oas >= 64)
            return phys;
        ulong top = 1UL << config.Oas;
        return phys < top && size > top - phys ? top : phys;
    }

    /// <summary>Caps a mapping that could only be made of small pages, so one call stays cheap.</summary>
    public static ulong Affordable(IoPgtableConfig config, ulong iova, ulong phys, ulong size)
    {
        const ulong maxSmallPages = 4096;
        ulong block = config.Granule << config.BitsPerLevel;
        bool blocksPossible = config.SoftwareBlocks || ((iova | phys) & (block - 1)) == 0;
        return blocksPossible || size / config.Granule <= maxSmallPages ? size : maxSmallPages * config.Granule;
    }

    public override void Compare(IIoPageTable model, IIoPageTable implementation, Op<IIoPageTable> op)
    {
        ulong granule = model.Config.Granule;
        var probes = new List<ulong>();
        if (op is MapOp map)
            probes.AddRange(Around(map.Iova, map.Size, granule));
        if (op is UnmapOp unmap)
            probes.AddRange(Around(unmap.Iova, unmap.Size, granule));
        foreach (var (range, _, _) in KernelProfilePageTables.Extents(model).Take(MaxProbedExtents))
            probes.AddRange([range.Start, range.Last, range.Start + (range.Last - range.Start) / 2]);

        foreach (ulong iova in probes)
        {
            string expected = PageTableProbe.Describe(model, iova);
            string actual = PageTableProbe.Describe(implementation, iova);
            if (expected != actual)
                throw new Divergence("translation differs", expected, actual);
        }
    }

    private static IEnumerable<ulong> Around(ulong iova, ulong size, ulong granule)
    {
        ulong last = iova + (size == 0 ? 0 : size - 1);
        return [iova, iova - 1, iova + granule, last, last + 1, last - granule + 1];
    }
}
