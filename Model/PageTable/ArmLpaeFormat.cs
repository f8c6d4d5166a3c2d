namespace Harness.Model;

/// <summary>
/// io-pgtable-arm's ARM_64_LPAE_S1 geometry and map_pages' argument checks (docs/SPEC.md §6),
/// stated once for the model's table and the implementation's. Levels are numbered as the kernel
/// numbers them, the leaf level <see cref="LeafLevel"/>.
/// </summary>
public sealed class ArmLpaeFormat(IoPgtableConfig config)
{
    public const int MaxLevels = 4;

    public const int LeafLevel = MaxLevels - 1;

    public IoPgtableConfig Config { get; } = config;

    /// <summary>arm_lpae_restrict_pgsizes: the granule's sizes, and 4 TiB blocks with 64K and an output size past 48 bits.</summary>
    public ulong PgsizeBitmap { get; } = config.PgsizeBitmap | (config.Granule == IoPgtableConfig.Size64K && config.Oas > 48 ? 1UL << 42 : 0);

    public int StartLevel => MaxLevels - Config.Levels;

    /// <summary>ARM_LPAE_PTES_PER_TABLE.</summary>
    public int PtesPerTable => 1 << Config.BitsPerLevel;

    /// <summary>ARM_LPAE_LVL_SHIFT.</summary>
    public int Shift(int level) => ((MaxLevels - level) * Config.BitsPerLevel) + 3;

    public ulong BlockSize(int level) => 1UL << Shift(level);

    /// <summary>arm_lpae_max_entries: the entries from iova's to the end of its table.</summary>
    public ulong MaxEntries(ulong iova, int level) => (ulong)(PtesPerTable - (int)((iova >> Shift(level)) & (ulong)(PtesPerTable - 1)));

    /// <summary>paddr_to_iopte then iopte_to_paddr: the bits the descriptor keeps (51:16 with 64K, else 47:12).</summary>
    public ulong OutputAddress(ulong paddr) => paddr & (Config.Granule == IoPgtableConfig.Size64K ? 0x000F_FFFF_FFFF_0000UL : 0x0000_FFFF_FFFF_F000UL);

    /// <summary>The iaext check: iova must not reach past ias (as a signed shift, so the top half is out too).</summary>
    public bool OutsideIas(ulong iova) => ((long)iova >> Config.Ias) != 0;

    public bool ValidPgsize(ulong pgsize) => pgsize != 0 && (pgsize & PgsizeBitmap) == pgsize;

    /// <summary>arm_lpae_map_pages before the walk: a page size it does not map, then ias or oas (ERANGE), then a prot without READ or WRITE.</summary>
    public Errno CheckMap(ulong iova, ulong paddr, ulong pgsize, IommuProt prot)
    {
        if (!ValidPgsize(pgsize))
            return Errno.EINVAL;
        if (OutsideIas(iova) || (Config.Oas < 64 && paddr >> Config.Oas != 0))
            return Errno.ERANGE;
        return (prot & (IommuProt.Read | IommuProt.Write)) == 0 ? Errno.EINVAL : Errno.Ok;
    }
}
