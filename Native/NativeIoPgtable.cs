using System.Runtime.InteropServices;
using Harness.Model;
using Harness.Native.Isolation;
using Harness.Properties;

namespace Harness.Native;

/// <summary>
/// A native library's page table (native/harness_impl.h's harness_pgtable_ops) as the
/// <see cref="IIoPgtableOps"/> an <see cref="IommuDomain"/> drives. A table whose page sizes are
/// not the ones the model's table has for the geometry is a divergence at once: every split
/// iommu_map makes follows from them.
/// </summary>
internal sealed class NativeIoPgtable : IIoPgtableOps
{
    private readonly IPgtableCalls calls;

    public NativeIoPgtable(IPgtableCalls calls, IoPgtableConfig config, ulong expectedPgsizes)
    {
        this.calls = calls;
        PgsizeBitmap = calls.Create(config.Granule, (uint)config.Ias, (uint)config.Oas);
        if (PgsizeBitmap != expectedPgsizes)
            throw new Divergence($"the library's table for {config} maps page sizes 0x{PgsizeBitmap:x}", $"0x{expectedPgsizes:x}", $"0x{PgsizeBitmap:x}");
    }

    ~NativeIoPgtable() => calls.Destroy();

    /// <summary>How the table's calls reach the library: in this process, or in a worker.</summary>
    internal interface IPgtableCalls
    {
        /// <summary>The page sizes the new table maps.</summary>
        ulong Create(ulong granule, uint ias, uint oas);

        void Destroy();

        int MapPages(ulong iova, ulong paddr, ulong pgsize, ulong pgcount, int prot, out ulong mapped);

        ulong UnmapPages(ulong iova, ulong pgsize, ulong pgcount);

        ulong IovaToPhys(ulong iova);
    }

    public ulong PgsizeBitmap { get; }

    public Errno MapPages(ulong iova, ulong paddr, ulong pgsize, ulong pgcount, IommuProt prot, out ulong mapped) =>
        Errnos.FromNative(calls.MapPages(iova, paddr, pgsize, pgcount, (int)prot, out mapped));

    public ulong UnmapPages(ulong iova, ulong pgsize, ulong pgcount) => calls.UnmapPages(iova, pgsize, pgcount);

    public ulong IovaToPhys(ulong iova) => calls.IovaToPhys(iova);

    internal sealed unsafe class InProcess(NativeAbi.PgtableOps ops) : IPgtableCalls
    {
        private void* table;

        public ulong Create(ulong granule, uint ias, uint oas)
        {
            ulong pgsizes = 0;
            table = ops.Create(granule, ias, oas, &pgsizes);
            if (table is null)
                throw new Divergence($"the library's pgtable create refused granule 0x{granule:x} ias {ias} oas {oas} (NULL)");
            return pgsizes;
        }

        public void Destroy()
        {
            if (table is not null)
                ops.Destroy(table);
            table = null;
        }

        public int MapPages(ulong iova, ulong paddr, ulong pgsize, ulong pgcount, int prot, out ulong mapped)
        {
            ulong count = 0;
            int code = ops.MapPages(table, iova, paddr, pgsize, pgcount, prot, &count);
            mapped = count;
            return code;
        }

        public ulong UnmapPages(ulong iova, ulong pgsize, ulong pgcount) => ops.UnmapPages(table, iova, pgsize, pgcount);

        public ulong IovaToPhys(ulong iova) => ops.IovaToPhys(table, iova);
    }

    internal sealed class Isolated(NativeWorker worker) : IPgtableCalls
    {
        private uint handle;

        public ulong Create(ulong granule, uint ias, uint oas)
        {
            var reply = worker.Call(NativeWorker.Op.PgtableCreate, 0, granule, ias, oas);
            if (reply.Ret < 0)
                throw new Divergence($"the library's pgtable create refused granule 0x{granule:x} ias {ias} oas {oas} (NULL)");
            handle = (uint)reply.Ret;
            return reply.X;
        }

        public void Destroy() => worker.Drop(handle);

        public int MapPages(ulong iova, ulong paddr, ulong pgsize, ulong pgcount, int prot, out ulong mapped)
        {
            ReadOnlySpan<ulong> arguments = [iova, paddr, pgsize, pgcount, (ulong)prot];
            var reply = worker.Call(NativeWorker.Op.MapPages, handle, payload: MemoryMarshal.AsBytes(arguments));
            mapped = reply.X;
            return (int)reply.Ret;
        }

        public ulong UnmapPages(ulong iova, ulong pgsize, ulong pgcount) => worker.Call(NativeWorker.Op.UnmapPages, handle, iova, pgsize, pgcount).X;

        public ulong IovaToPhys(ulong iova) => worker.Call(NativeWorker.Op.IovaToPhys, handle, iova).X;
    }
}
