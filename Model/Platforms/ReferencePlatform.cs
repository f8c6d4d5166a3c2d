namespace Harness.Model;

/// <summary>
/// A real machine's IOMMU as a group sees it (docs/SPEC.md §7): aperture, page sizes, merged
/// reserved regions and MSI isolation. <see cref="Group"/> makes an attachable group of it.
/// </summary>
public sealed record ReferencePlatform(
    string Name,
    IovaRange Aperture,
    ulong PgsizeBitmap,
    IReadOnlyList<ResvRegion> ResvRegions,
    bool MsiIsolated)
{
    private const ulong Sizes4K2M1G = 0x1000 | 0x200000 | 0x40000000;

    public IommuGroup Group(int id) => new(id, Aperture, PgsizeBitmap, ResvRegions, MsiIsolated);

    /// <summary>The sysfs reserved_regions file this platform's group shows.</summary>
    public string Sysfs => SysfsFormat.Format(ResvRegions);

    public static IovaRange Bits(int n) => new(0, n == 64 ? ulong.MaxValue : (1UL << n) - 1);

    private static ResvRegion Region(ulong start, ulong last, IommuProt prot, ResvType type) =>
        new(new IovaRange(start, last), prot, type);

    /// <summary>Arm SMMUv3 with a GICv3 ITS: the software MSI window at 0x8000000 (1 MiB).</summary>
    public static ReferencePlatform ArmSmmuV3 { get; } = new(
        "arm-smmuv3", Bits(48), Sizes4K2M1G,
        [Region(0x8000000, 0x80fffff, IommuProt.Write | IommuProt.NoExec | IommuProt.Mmio, ResvType.SwMsi)],
        MsiIsolated: true);

    /// <summary>Intel VT-d: ISA bridge direct-relaxable, a firmware RMRR, and the x86 MSI range.</summary>
    public static ReferencePlatform IntelVtd { get; } = new(
        "intel-vtd", Bits(39), Sizes4K2M1G,
        [
            Region(0x0, 0xffffff, IommuProt.Read | IommuProt.Write, ResvType.DirectRelaxable),
            Region(0x3e2e0000, 0x3e2fffff, IommuProt.Read | IommuProt.Write, ResvType.Direct),
            Region(0xfee00000, 0xfeefffff, IommuProt.None, ResvType.Msi),
        ],
        MsiIsolated: true);

    /// <summary>AMD-Vi: the x86 MSI range and the HyperTransport hole below 1 TiB.</summary>
    public static ReferencePlatform AmdVi { get; } = new(
        "amd-vi", Bits(48), Sizes4K2M1G,
        [
            Region(0xfee00000, 0xfeefffff, IommuProt.None, ResvType.Msi),
            Region(0xfd00000000, 0xffffffffff, IommuProt.None, ResvType.Reserved),
        ],
        MsiIsolated: true);

    /// <summary>The iommufd selftest mock domain: 2 KiB pages and a SwMsi window above its aperture.</summary>
    public static ReferencePlatform IommufdMock { get; } = new(
        "iommufd-mock", new IovaRange(0x1000000, 0x7fffffff), 0x800,
        [Region(0x80000000, 0x800fffff, IommuProt.Write | IommuProt.NoExec | IommuProt.Mmio, ResvType.SwMsi)],
        MsiIsolated: true);

    public static IReadOnlyList<ReferencePlatform> All { get; } = [ArmSmmuV3, IntelVtd, AmdVi, IommufdMock];
}
