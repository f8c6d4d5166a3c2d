using System.Runtime.InteropServices;
using Harness.Model;
using Harness.Native.Isolation;
using Harness.Properties;

namespace Harness.Native;

/// <summary>
/// A native library's group merge (native/harness_impl.h's harness_resv_ops): every region given
/// is inserted in turn into a list that starts empty, as iommu_get_group_resv_regions does, in
/// this process or in a worker. What comes back is checked for shape before it is compared.
/// </summary>
internal static unsafe class NativeResvMerge
{
    /// <summary>The insertions' final count (or the first bad return) and the list as the library left it.</summary>
    public delegate long InsertAll(ReadOnlySpan<NativeAbi.ResvRegion> given, out NativeAbi.ResvRegion[] list);

    public static Func<IEnumerable<ResvRegion>, List<ResvRegion>> Merge(InsertAll insertAll) => regions =>
    {
        var given = regions.Select(ToNative).ToArray();
        long count = insertAll(given, out var list);
        if (count < 0)
            throw new Divergence($"insert failed with {Errnos.FromNative((int)count)}", "the merged list", Errnos.FromNative((int)count).ToString());
        if (count > given.Length)
            throw new Divergence($"insert returned a count of {count} after {given.Length} insertions");
        return [.. list.Select(Region)];
    };

    public static long InProcess(NativeAbi.ResvOps ops, ReadOnlySpan<NativeAbi.ResvRegion> given, out NativeAbi.ResvRegion[] list)
    {
        var room = new NativeAbi.ResvRegion[given.Length + 1];
        long count = 0;
        fixed (NativeAbi.ResvRegion* at = room)
        fixed (NativeAbi.ResvRegion* from = given)
        {
            for (int i = 0; i < given.Length && count >= 0 && count <= i; i++)
                count = ops.Insert(at, (nuint)count, (nuint)room.Length, from + i);
        }

        list = room[..(int)Math.Clamp(count, 0, room.Length)];
        return count;
    }

    public static long Isolated(NativeWorker worker, ReadOnlySpan<NativeAbi.ResvRegion> given, out NativeAbi.ResvRegion[] list)
    {
        var reply = worker.Call(NativeWorker.Op.ResvMerge, 0, (ulong)given.Length, payload: MemoryMarshal.AsBytes(given));
        int returned = (int)Math.Clamp(reply.Ret, 0, given.Length + 1);
        list = [.. MemoryMarshal.Cast<byte, NativeAbi.ResvRegion>(worker.ReadMore(returned * sizeof(NativeAbi.ResvRegion)))];
        return reply.Ret;
    }

    /// <summary>A region as struct harness_resv_region holds it.</summary>
    public static NativeAbi.ResvRegion ToNative(ResvRegion r) => new() { Start = r.Start, Last = r.Last, Prot = (int)r.Prot, Type = (uint)r.Type };

    private static ResvRegion Region(NativeAbi.ResvRegion r)
    {
        if (r.Last < r.Start)
            throw new Divergence($"the list holds an inverted region [0x{r.Start:x}, 0x{r.Last:x}]");
        if (r.Type > (uint)ResvType.SwMsi)
            throw new Divergence($"the list holds a region of type {r.Type}, not an enum iommu_resv_type");
        return new ResvRegion(new IovaRange(r.Start, r.Last), (IommuProt)r.Prot, (ResvType)r.Type);
    }
}
