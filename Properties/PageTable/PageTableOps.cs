using System.Text.Json.Serialization;
using Harness.Model;

namespace Harness.Properties;

/// <summary>The parameters of one page-table run: its geometry, and the profile whose rules the model runs (ideal in older files).</summary>
public sealed record PageTableSetup(ulong Granule, int Ias, bool SoftwareBlocks, int Oas = 64, string Profile = "ideal")
{
    [JsonIgnore]
    public IoPgtableConfig Config => new(Granule, Ias, SoftwareBlocks, Oas);

    [JsonIgnore]
    public KernelProfile Kernel => KernelProfiles.Named(Profile);

    public override string ToString() => $"profile {Profile}, {Config}";
}

/// <summary>A page-table call (docs/SPEC.md §6).</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "op")]
[JsonDerivedType(typeof(MapOp), "map")]
[JsonDerivedType(typeof(UnmapOp), "unmap")]
[JsonDerivedType(typeof(TranslateOp), "translate")]
public abstract record PageTableOp : Op<IIoPageTable>;

public sealed record MapOp(ulong Iova, ulong Phys, ulong Size, IommuProt Prot) : PageTableOp
{
    public override string Apply(IIoPageTable table) => table.Map(Iova, Phys, Size, Prot).ToString();

    public override IEnumerable<Op<IIoPageTable>> Shrink() =>
        Shrinks.Aligned(Size, 0x1000).Where(size => size != 0).Select(size => this with { Size = size })
            .Concat(Shrinks.Aligned(Iova, 0x1000).Select(iova => this with { Iova = iova }))
            .Concat(Shrinks.Aligned(Phys, 0x1000).Select(phys => this with { Phys = phys }))
            .Concat(Prot != (IommuProt.Read | IommuProt.Write) ? [this with { Prot = IommuProt.Read | IommuProt.Write }] : []);

    public override string ToString() => $"Map(iova 0x{Iova:x}, phys 0x{Phys:x}, size 0x{Size:x}, {Prot})";
}

public sealed record UnmapOp(ulong Iova, ulong Size) : PageTableOp
{
    public override string Apply(IIoPageTable table) => $"unmapped 0x{table.Unmap(Iova, Size):x}";

    public override IEnumerable<Op<IIoPageTable>> Shrink() =>
        Shrinks.Aligned(Size, 0x1000).Where(size => size != 0).Select(size => this with { Size = size })
            .Concat(Shrinks.Aligned(Iova, 0x1000).Select(iova => this with { Iova = iova }));

    public override string ToString() => $"Unmap(iova 0x{Iova:x}, size 0x{Size:x})";
}

public sealed record TranslateOp(ulong Iova) : PageTableOp
{
    public override string Apply(IIoPageTable table) => PageTableProbe.Describe(table, Iova);

    public override IEnumerable<Op<IIoPageTable>> Shrink() => Shrinks.U64(Iova).Select(iova => this with { Iova = iova });

    public override string ToString() => $"Translate(0x{Iova:x})";
}

/// <summary>One translation, as text both sides must agree on.</summary>
public static class PageTableProbe
{
    public static string Describe(IIoPageTable table, ulong iova) =>
        table.Translate(iova, out ulong phys, out var prot) ? $"0x{iova:x} -> 0x{phys:x} {prot}" : $"0x{iova:x} faults";
}
