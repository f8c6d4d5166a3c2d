using Harness.Model;
using Harness.Properties;

namespace Harness.Native;

/// <summary>
/// One domain of a native allocator (native/harness_impl.h's harness_iova_ops), seen as the
/// <see cref="IIovaAllocator"/> the properties hold to the model. The domain is destroyed when the
/// allocator is collected: the properties make and drop thousands of them. The fast path is there
/// when the library has one (harness_iova_fast_ops).
/// </summary>
internal sealed unsafe class NativeIovaAllocator : IIovaFastPath
{
    private readonly NativeAbi.IovaOps ops;
    private readonly NativeAbi.IovaFastOps? fast;
    private void* domain;

    public NativeIovaAllocator(NativeAbi.IovaOps ops, NativeAbi.IovaFastOps? fast, IovaDomain domain)
    {
        this.ops = ops;
        this.fast = fast;
        Domain = domain;
        this.domain = ops.Create(domain.Granule, domain.StartPfn);
        if (this.domain is null)
            throw new Divergence($"the library's create({domain.Granule:x}, {domain.StartPfn:x}) returned NULL");
    }

    ~NativeIovaAllocator()
    {
        if (domain is not null)
            ops.Destroy(domain);
        domain = null;
    }

    public IovaDomain Domain { get; }

    public Errno Alloc(ulong size, ulong limitPfn, bool sizeAligned, out ulong pfn)
    {
        ulong result = 0;
        int code = ops.Alloc(domain, size, limitPfn, sizeAligned ? 1 : 0, &result);
        GC.KeepAlive(this);
        pfn = code == 0 ? result : 0;
        return Errnos.FromNative(code);
    }

    public Errno AllocFast(ulong size, ulong limitPfn, bool flushRcache, out ulong pfn)
    {
        var calls = fast ?? throw new InvalidOperationException("the library has no fast path");
        ulong result = 0;
        int code = calls.AllocFast(domain, size, limitPfn, flushRcache ? 1 : 0, &result);
        GC.KeepAlive(this);
        pfn = code == 0 ? result : 0;
        return Errnos.FromNative(code);
    }

    public void FreeFast(ulong pfn, ulong size)
    {
        var calls = fast ?? throw new InvalidOperationException("the library has no fast path");
        calls.FreeFast(domain, pfn, size);
        GC.KeepAlive(this);
    }

    public Errno Reserve(ulong pfnLo, ulong pfnHi)
    {
        int code = ops.Reserve(domain, pfnLo, pfnHi);
        GC.KeepAlive(this);
        return Errnos.FromNative(code);
    }

    public Errno Free(ulong pfn)
    {
        int code = ops.Free(domain, pfn);
        GC.KeepAlive(this);
        return Errnos.FromNative(code);
    }

    public bool Find(ulong pfn, out IovaRange allocation)
    {
        NativeAbi.HarnessRange range;
        int found = ops.Find(domain, pfn, &range);
        GC.KeepAlive(this);
        allocation = found != 0 ? new IovaRange(range.PfnLo, range.PfnHi) : default;
        return found != 0;
    }

    public IEnumerable<IovaRange> Allocations
    {
        get
        {
            var buffer = new NativeAbi.HarnessRange[64];
            while (true)
            {
                nuint count;
                fixed (NativeAbi.HarnessRange* out_ = buffer)
                    count = ops.Allocations(domain, out_, (nuint)buffer.Length);
                GC.KeepAlive(this);
                if (count <= (nuint)buffer.Length)
                    return buffer.Take((int)count).Select(r => new IovaRange(r.PfnLo, r.PfnHi)).ToList();
                buffer = new NativeAbi.HarnessRange[checked((int)count)];
            }
        }
    }
}
