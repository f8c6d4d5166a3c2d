using Harness.Model;

namespace Harness.Properties;

/// <summary>
/// The DMA API's side of iova.c's fast path: the allocator, and the ranges it handed out that the
/// caller still holds (pfn and the size asked for), newest last, so a free names a held range by
/// its place and both sides free the same one.
/// </summary>
public sealed class FastPathSession(IIovaFastPath allocator)
{
    public IIovaFastPath Allocator { get; } = allocator;

    public List<(ulong Pfn, ulong Size)> Held { get; } = [];

    /// <summary>An independent copy of a model session (for state-machine snapshots).</summary>
    public FastPathSession Clone()
    {
        var copy = new FastPathSession(((ModelIovaRcache)Allocator).Clone());
        copy.Held.AddRange(Held);
        return copy;
    }

    /// <summary>alloc_iova_fast; a range handed out is held.</summary>
    public string AllocFast(ulong size, ulong limitPfn, bool flushRcache)
    {
        var errno = Allocator.AllocFast(size, limitPfn, flushRcache, out ulong pfn);
        if (errno != Errno.Ok)
            return errno.ToString();
        Held.Add((pfn, size));
        return $"Ok pfn 0x{pfn:x}";
    }

    /// <summary>free_iova_fast of the held range at <paramref name="index"/> (modulo how many are held).</summary>
    public string FreeFast(int index)
    {
        if (Held.Count == 0)
            return "nothing held";
        var (pfn, size) = Held[index % Held.Count];
        Held.RemoveAt(index % Held.Count);
        Allocator.FreeFast(pfn, size);
        return $"freed pfn 0x{pfn:x} size 0x{size:x}";
    }
}
