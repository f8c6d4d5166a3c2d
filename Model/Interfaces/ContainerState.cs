namespace Harness.Model;

/// <summary>A doorbell page mapped into the software MSI window: IOVA page → physical page.</summary>
public readonly record struct MsiPage(ulong Phys, ulong Iova);

/// <summary>The observable state of a container; equal when every list is equal element by element.</summary>
public sealed record ContainerState(
    IReadOnlyList<int> Groups,
    IReadOnlyList<DmaMapping> Mappings,
    IReadOnlyList<IovaRange> ValidIovas,
    ulong IovaPgsizes,
    uint DmaAvail,
    IovaRange? MsiWindow,
    IReadOnlyList<MsiPage> MsiPages)
{
    public bool Equals(ContainerState? other) =>
        other is not null
        && Groups.SequenceEqual(other.Groups)
        && Mappings.SequenceEqual(other.Mappings)
        && ValidIovas.SequenceEqual(other.ValidIovas)
        && IovaPgsizes == other.IovaPgsizes
        && DmaAvail == other.DmaAvail
        && MsiWindow == other.MsiWindow
        && MsiPages.SequenceEqual(other.MsiPages);

    public override int GetHashCode() => HashCode.Combine(Groups.Count, Mappings.Count, ValidIovas.Count, IovaPgsizes, DmaAvail);

    public override string ToString() =>
        $"groups [{string.Join(", ", Groups)}] pgsizes 0x{IovaPgsizes:x} dma_avail {DmaAvail}\n" +
        $"  valid [{string.Join(", ", ValidIovas)}]\n" +
        $"  mappings [{string.Join("; ", Mappings)}]\n" +
        $"  msi window {MsiWindow?.ToString() ?? "none"} pages [{string.Join(", ", MsiPages.Select(p => $"0x{p.Iova:x}->0x{p.Phys:x}"))}]";
}
