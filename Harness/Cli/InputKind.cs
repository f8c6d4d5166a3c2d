namespace Harness.Cli;

/// <summary>What a verb reads from a file, and how many bytes of it harness will read at most.</summary>
public sealed record InputKind(string What, int Bound)
{
    /// <summary>A VFIO_IOMMU_GET_INFO buffer; argsz is a u32, but no kernel chain comes near 16 MiB.</summary>
    public static readonly InputKind GetInfo = new("a GET_INFO buffer", 16 << 20);

    /// <summary>A reserved_regions text; the kernel prints one page of it, edited and merged files run longer.</summary>
    public static readonly InputKind Sysfs = new("a reserved_regions file", 16 << 20);

    public static readonly InputKind Regression = new("a regression file", 16 << 20);

    /// <summary>An ops fuzz input; the decoder reads at most its first 128 calls, whatever follows.</summary>
    public static readonly InputKind Ops = new("an ops input", 1 << 20);

    public string BoundText => Bound % (1 << 20) == 0 ? $"{Bound >> 20} MiB" : $"{Bound} bytes";
}
