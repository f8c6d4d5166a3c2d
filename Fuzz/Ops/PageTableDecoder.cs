using Harness.Model;
using Harness.Properties;

namespace Harness.Fuzz;

/// <summary>
/// Page-table calls (docs/SPEC.md §6) in one of the property's geometries: IOVAs at block boundaries,
/// at the top of the input address space and at the edges of what is mapped; sizes of a few
/// granules or about a block; phys as aligned as the IOVA (so blocks can be used) or not.
/// </summary>
public sealed class PageTableDecoder : IOpDecoder<IIoPageTable, PageTableSetup>
{
    private const int MaxAnchors = 16;
    private const IommuProt ReadWrite = IommuProt.Read | IommuProt.Write;

    private static readonly IommuProt[] OddProts =
        [IommuProt.Read, IommuProt.Write | IommuProt.NoExec | IommuProt.Mmio, ReadWrite | IommuProt.Cache | IommuProt.Priv, IommuProt.None, (IommuProt)64];

    public PageTableSetup Setup(OpRecord record) => record.Pick(0, PageTableSpec.Geometries);

    public Op<IIoPageTable> Call(OpRecord record, PageTableSetup setup, IIoPageTable model)
    {
        var config = setup.Config;
        var extents = ((ModelPageTable)model).Extents.Take(MaxAnchors).Select(e => e.Range).ToList();
        ulong iova = Iova(record, config, extents);
        return record.Kind(10) switch
        {
            < 5 => Map(record, config, iova),
            < 8 => new UnmapOp(iova, Size(record, config)),
            _ => new TranslateOp(iova + ((ulong)(record[3] % 4) * 0x7ff)),
        };
    }

    private static MapOp Map(OpRecord record, IoPgtableConfig config, ulong iova)
    {
        ulong granule = config.Granule;
        ulong phys = (record[4] % 3) switch
        {
            0 => (iova & ((1UL << 30) - 1)) + ((ulong)(record[5] % 64) << 30),
            1 => (1 + (ulong)(record[5] % 16)) * granule,
            _ => record.Landmark(5) & ~(granule - 1),
        };
        var prot = record[7] < 200 ? ReadWrite : record.Pick(7, OddProts);
        return new MapOp(iova, phys, PageTableSpec.Affordable(config, iova, phys, Size(record, config)), prot);
    }

    /// <summary>Bytes 1 and 2: a block boundary, a gigabyte line, the top of the space, a landmark, or an edge of a mapped extent nudged by granules.</summary>
    private static ulong Iova(OpRecord record, IoPgtableConfig config, List<IovaRange> extents)
    {
        ulong granule = config.Granule;
        int pick = record[1] % (4 + (2 * extents.Count));
        return pick switch
        {
            0 => (ulong)(record[2] % 8) * 0x20_0000,
            1 => (ulong)(record[2] % 4) << 30,
            2 => config.IovaLast - ((1 + (ulong)(record[2] % 4)) * granule) + 1,
            3 => record.Landmark(2) & ~(granule - 1),
            _ => record.Near(2, (pick - 4) % 2 == 0 ? extents[(pick - 4) / 2].Start : extents[(pick - 4) / 2].Last + 1, granule),
        };
    }

    /// <summary>Byte 3: one to four granules mostly; otherwise about a block, nothing, half a granule or a gigabyte.</summary>
    private static ulong Size(OpRecord record, IoPgtableConfig config)
    {
        ulong granule = config.Granule;
        ulong block = granule << config.BitsPerLevel;
        return record[3] < 160
            ? (1 + (ulong)(record[3] % 4)) * granule
            : record.Pick(3, [block, block + granule, 2 * block, block - granule, 0UL, granule / 2, 1UL << 30, (1UL << 30) + block]);
    }
}
