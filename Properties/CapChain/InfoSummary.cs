using Harness.Model;

namespace Harness.Properties;

/// <summary>VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION's fields.</summary>
public readonly record struct MigrationSummary(uint Flags, ulong PgsizeBitmap, ulong MaxDirtyBitmapSize);

/// <summary>
/// What a parser outside the harness reports of a GET_INFO buffer (native/harness_impl.h's
/// struct harness_info): the header and the first capability of each kind, not where the chain
/// put them. Ranges are raw (start, end) pairs, so a parser that accepts an inverted one can say so.
/// </summary>
public sealed record InfoSummary(
    uint Argsz,
    uint Flags,
    ulong IovaPgsizes,
    uint CapOffset,
    IReadOnlyList<(ulong Start, ulong End)>? IovaRanges,
    uint? DmaAvail,
    MigrationSummary? Migration)
{
    public static InfoSummary Of(ParsedInfo info) => new(
        info.Argsz,
        info.Flags,
        info.IovaPgsizes,
        info.CapOffset,
        info.IovaRanges?.Select(r => (r.Start, r.Last)).ToList(),
        info.DmaAvail,
        info.Migration is { } m ? new MigrationSummary(m.Flags, m.PgsizeBitmap, m.MaxDirtyBitmapSize) : null);

    public bool Equals(InfoSummary? other) =>
        other is not null
        && (Argsz, Flags, IovaPgsizes, CapOffset, DmaAvail, Migration) == (other.Argsz, other.Flags, other.IovaPgsizes, other.CapOffset, other.DmaAvail, other.Migration)
        && (IovaRanges is null ? other.IovaRanges is null : other.IovaRanges is not null && IovaRanges.SequenceEqual(other.IovaRanges));

    public override int GetHashCode() => HashCode.Combine(Argsz, Flags, IovaPgsizes, CapOffset, IovaRanges?.Count);

    public override string ToString() =>
        $"argsz {Argsz} flags 0x{Flags:x} pgsizes 0x{IovaPgsizes:x} cap_offset {CapOffset} "
        + $"ranges {(IovaRanges is null ? "none" : $"[{string.Join(", ", IovaRanges.Select(r => $"[0x{r.Start:x}, 0x{r.End:x}]"))}]")} "
        + $"dma_avail {DmaAvail?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} migration {Migration?.ToString() ?? "none"}";
}

/// <summary>A parser that reports an <see cref="InfoSummary"/>; a null error on rejection means it does not say why.</summary>
public interface IInfoSummaryParser
{
    bool TryParse(ReadOnlySpan<byte> buffer, out InfoSummary? info, out CapChainError? error);
}
