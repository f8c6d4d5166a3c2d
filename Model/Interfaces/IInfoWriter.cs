namespace Harness.Model;

/// <summary>The kernel side of VFIO_IOMMU_GET_INFO: fills the caller's buffer (docs/SPEC.md §3 "Writer").</summary>
public interface IInfoWriter
{
    /// <summary>
    /// Reads argsz from <paramref name="buffer"/> and answers as <paramref name="layout"/> does.
    /// Never writes at or past argsz. EFAULT when the buffer is shorter than 16 bytes or than
    /// argsz; EINVAL when argsz is below 16.
    /// </summary>
    Errno Write(Span<byte> buffer, InfoLayout layout, ulong iovaPgsizes, uint dmaAvail, ReadOnlySpan<IovaRange> iovaRanges);
}
