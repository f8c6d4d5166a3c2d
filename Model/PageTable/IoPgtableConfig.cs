using System.Numerics;

namespace Harness.Model;

/// <summary>
/// The geometry of an Arm LPAE-style table (io-pgtable-arm): a granule of 4K, 16K or 64K and an
/// input address size. Arm stops at 48 bits (52 with 64K); up to 64 is allowed here because a
/// VFIO container translates the whole u64 IOVA space.
/// </summary>
/// <remarks>
/// <see cref="SoftwareBlocks"/> leaves the hardware's rules for a software translation path:
/// a leaf may sit at every level and its output address need only be granule-aligned, so a
/// mapping of any size and any iova/phys alignment costs at most a few thousand descriptors.
/// The container uses it; Arm tables never do.
/// </remarks>
public sealed record IoPgtableConfig
{
    public IoPgtableConfig(ulong granule, int ias, bool softwareBlocks = false, int oas = 64)
    {
        if (granule is not (Size4K or Size16K or Size64K))
            throw new ArgumentOutOfRangeException(nameof(granule), $"granule 0x{granule:x} is not 4K, 16K or 64K");
        if (ias is < 32 or > 64)
            throw new ArgumentOutOfRangeException(nameof(ias), $"input address size {ias} is not between 32 and 64 bits");
        if (oas is < 32 or > 64)
            throw new ArgumentOutOfRangeException(nameof(oas), $"output address size {oas} is not between 32 and 64 bits");
        Granule = granule;
        Ias = ias;
        Oas = oas;
        SoftwareBlocks = softwareBlocks;
    }

    public const ulong Size4K = 0x1000;
    public const ulong Size16K = 0x4000;
    public const ulong Size64K = 0x10000;

    /// <summary>The software table a VFIO container translates its u64 IOVA space with.</summary>
    public static IoPgtableConfig Container { get; } = new(Size4K, 64, softwareBlocks: true);

    public ulong Granule { get; }

    public int Ias { get; }

    /// <summary>The output address size: an io-pgtable-arm map whose physical address starts at or past 2^Oas is ERANGE.</summary>
    public int Oas { get; }

    public bool SoftwareBlocks { get; }

    public int GranuleShift => BitOperations.Log2(Granule);

    /// <summary>Each table is one granule of 8-byte descriptors.</summary>
    public int BitsPerLevel => GranuleShift - 3;

    public int Levels => (Ias - GranuleShift + BitsPerLevel - 1) / BitsPerLevel;

    /// <summary>The highest input address.</summary>
    public ulong IovaLast => Ias == 64 ? ulong.MaxValue : (1UL << Ias) - 1;

    /// <summary>
    /// arm_lpae_restrict_pgsizes: the page and block sizes for the granule (4K: 4K|2M|1G,
    /// 16K: 16K|32M, 64K: 64K|512M); with <see cref="SoftwareBlocks"/>, every level's size.
    /// </summary>
    public ulong PgsizeBitmap => SoftwareBlocks ? EveryLevelSize : Granule switch
    {
        Size4K => Size4K | (1UL << 21) | (1UL << 30),
        Size16K => Size16K | (1UL << 25),
        _ => Size64K | (1UL << 29),
    };

    private ulong EveryLevelSize
    {
        get
        {
            ulong sizes = 0;
            for (int level = 0; level < Levels; level++)
                sizes |= 1UL << (GranuleShift + (BitsPerLevel * level));
            return sizes;
        }
    }

    public override string ToString() => $"granule 0x{Granule:x} ias {Ias}{(Oas < 64 ? $" oas {Oas}" : "")} ({Levels} levels{(SoftwareBlocks ? ", software blocks" : "")})";
}
