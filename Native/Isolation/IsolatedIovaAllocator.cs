using System.Runtime.InteropServices;
using Harness.Model;
using Harness.Properties;

namespace Harness.Native.Isolation;

/// <summary>One domain of a native allocator living in a <see cref="NativeWorker"/> child process (its fast path, if the library has one).</summary>
internal sealed class IsolatedIovaAllocator : IIovaFastPath
{
    private readonly NativeWorker worker;
    private readonly uint handle;

    public IsolatedIovaAllocator(NativeWorker worker, IovaDomain domain)
    {
        this.worker = worker;
        Domain = domain;
        long created = worker.Call(NativeWorker.Op.Create, 0, domain.Granule, domain.StartPfn).Ret;
        if (created < 0)
            throw new Divergence($"the library's create({domain.Granule:x}, {domain.StartPfn:x}) returned NULL");
        handle = (uint)created;
    }

    ~IsolatedIovaAllocator() => worker.Drop(handle);

    public IovaDomain Domain { get; }

    public Errno Alloc(ulong size, ulong limitPfn, bool sizeAligned, out ulong pfn)
    {
        var reply = worker.Call(NativeWorker.Op.Alloc, handle, size, limitPfn, sizeAligned ? 1UL : 0);
        pfn = reply.Ret == 0 ? reply.X : 0;
        return Errnos.FromNative((int)reply.Ret);
    }

    public Errno AllocFast(ulong size, ulong limitPfn, bool flushRcache, out ulong pfn)
    {
        var reply = worker.Call(NativeWorker.Op.AllocFast, handle, size, limitPfn, flushRcache ? 1UL : 0);
        pfn = reply.Ret == 0 ? reply.X : 0;
        return Errnos.FromNative((int)reply.Ret);
    }

    public void FreeFast(ulong pfn, ulong size) => worker.Call(NativeWorker.Op.FreeFast, handle, pfn, size);

    public Errno Reserve(ulong pfnLo, ulong pfnHi) => Errnos.FromNative((int)worker.Call(NativeWorker.Op.Reserve, handle, pfnLo, pfnHi).Ret);

    public Errno Free(ulong pfn) => Errnos.FromNative((int)worker.Call(NativeWorker.Op.Free, handle, pfn).Ret);

    public bool Find(ulong pfn, out IovaRange allocation)
    {
        var reply = worker.Call(NativeWorker.Op.Find, handle, pfn);
        allocation = reply.Ret != 0 ? new IovaRange(reply.X, reply.Y) : default;
        return reply.Ret != 0;
    }

    public IEnumerable<IovaRange> Allocations
    {
        get
        {
            long count = worker.Call(NativeWorker.Op.Allocations, handle).Ret;
            var ranges = MemoryMarshal.Cast<byte, NativeAbi.HarnessRange>(worker.ReadMore(checked((int)count * Marshal.SizeOf<NativeAbi.HarnessRange>())));
            var list = new List<IovaRange>(ranges.Length);
            foreach (var r in ranges)
                list.Add(new IovaRange(r.PfnLo, r.PfnHi));
            return list;
        }
    }
}
