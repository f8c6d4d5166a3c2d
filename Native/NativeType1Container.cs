using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Harness.Implementation;
using Harness.Model;
using Harness.Native.Isolation;
using Harness.Properties;

namespace Harness.Native;

/// <summary>
/// A native library's type1 DMA tracking (native/harness_impl.h's harness_type1_ops), created from
/// the state the model's attach left (valid list, page sizes, dma_entry_limit) and seen as the
/// <see cref="IVfioContainer"/> container.dma drives. Attaching, MSI and translation are not part of
/// the surface; container.dma never asks for them. dma_avail is read back through GET_INFO.
/// </summary>
internal sealed class NativeType1Container : IVfioContainer
{
    private static readonly FastCapChainParser Parser = new();

    private readonly IType1Calls calls;
    private readonly ContainerState attached;

    public NativeType1Container(IType1Calls calls, ContainerState attached, uint dmaEntryLimit)
    {
        this.calls = calls;
        this.attached = attached;
        calls.Create(attached.IovaPgsizes, dmaEntryLimit, [.. attached.ValidIovas.Select(r => new NativeAbi.IovaRange { Start = r.Start, End = r.Last })]);
    }

    ~NativeType1Container() => calls.Destroy();

    /// <summary>How the container's calls reach the library: in this process, or in a worker.</summary>
    internal interface IType1Calls
    {
        void Create(ulong pgsizeBitmap, uint dmaEntryLimit, NativeAbi.IovaRange[] valid);

        void Destroy();

        int MapDma(ulong iova, ulong size, ulong vaddr, uint flags);

        int UnmapDma(ulong iova, ulong size, uint flags, out ulong unmapped);

        int GetInfo(Span<byte> buffer);

        NativeAbi.DmaMapping[] Mappings();
    }

    public bool AllowUnsafeInterrupts { get; set; }

    public Errno AttachGroup(IommuGroup group) => throw new NotSupportedException("the type1 surface starts attached");

    public Errno DetachGroup(int groupId) => throw new NotSupportedException("the type1 surface does not detach");

    public Errno MapDma(ulong iova, ulong size, ulong vaddr, DmaMapFlags flags) => Errnos.FromNative(calls.MapDma(iova, size, vaddr, (uint)flags));

    public Errno UnmapDma(ulong iova, ulong size, DmaUnmapFlags flags, out ulong unmapped)
    {
        var errno = Errnos.FromNative(calls.UnmapDma(iova, size, (uint)flags, out unmapped));
        if (errno != Errno.Ok)
            unmapped = 0;
        return errno;
    }

    public Errno GetInfo(Span<byte> buffer) => Errnos.FromNative(calls.GetInfo(buffer));

    public Errno PrepareMsi(ulong doorbell, out ulong msiIova) => throw new NotSupportedException("the type1 surface has no MSI");

    public bool Translate(ulong iova, out ulong phys, out IommuProt prot) => throw new NotSupportedException("the type1 surface does not translate");

    public ContainerState State =>
        attached with
        {
            Mappings = [.. calls.Mappings().Select(m => new DmaMapping(m.Iova, m.Size, m.Vaddr, (DmaMapFlags)m.Prot) { VaddrInvalid = m.VaddrInvalid != 0 })],
            DmaAvail = DmaAvail(),
        };

    /// <summary>The DMA_AVAIL capability of a GET_INFO large enough for the whole chain, or a divergence saying why there is none.</summary>
    private uint DmaAvail()
    {
        var buffer = new byte[256 + (16 * attached.ValidIovas.Count)];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)buffer.Length);
        var errno = GetInfo(buffer);
        if (errno != Errno.Ok)
            throw new Divergence($"GET_INFO with room for the whole chain fails with {errno}");
        if (!Parser.TryParse(buffer, out var info, out var error))
            throw new Divergence($"the library's GET_INFO does not parse: {error}");
        return info.DmaAvail ?? throw new Divergence("the library's GET_INFO has no DMA_AVAIL capability");
    }

    internal sealed unsafe class InProcess(NativeAbi.Type1Ops ops) : IType1Calls
    {
        private void* container;

        public void Create(ulong pgsizeBitmap, uint dmaEntryLimit, NativeAbi.IovaRange[] valid)
        {
            fixed (NativeAbi.IovaRange* ranges = valid)
                container = ops.Create(pgsizeBitmap, dmaEntryLimit, ranges, (nuint)valid.Length);
            if (container is null)
                throw new Divergence("the library's type1 create returned NULL");
        }

        public void Destroy()
        {
            if (container is not null)
                ops.Destroy(container);
            container = null;
        }

        public int MapDma(ulong iova, ulong size, ulong vaddr, uint flags) => ops.MapDma(container, iova, size, vaddr, flags);

        public int UnmapDma(ulong iova, ulong size, uint flags, out ulong unmapped)
        {
            ulong count = 0;
            int code = ops.UnmapDma(container, iova, size, flags, &count);
            unmapped = count;
            return code;
        }

        public int GetInfo(Span<byte> buffer)
        {
            fixed (byte* bytes = buffer)
                return ops.GetInfo(container, bytes, (nuint)buffer.Length);
        }

        public NativeAbi.DmaMapping[] Mappings()
        {
            int count = (int)ops.Mappings(container, null, 0);
            var mappings = new NativeAbi.DmaMapping[count];
            fixed (NativeAbi.DmaMapping* out_ = mappings)
                count = (int)ops.Mappings(container, out_, (nuint)count);
            return mappings[..Math.Min(count, mappings.Length)];
        }
    }

    internal sealed unsafe class Isolated(NativeWorker worker) : IType1Calls
    {
        private uint handle;

        public void Create(ulong pgsizeBitmap, uint dmaEntryLimit, NativeAbi.IovaRange[] valid)
        {
            long created = worker.Call(NativeWorker.Op.Type1Create, 0, pgsizeBitmap, dmaEntryLimit, (ulong)valid.Length, MemoryMarshal.AsBytes(valid.AsSpan())).Ret;
            if (created < 0)
                throw new Divergence("the library's type1 create returned NULL");
            handle = (uint)created;
        }

        public void Destroy() => worker.Drop(handle);

        public int MapDma(ulong iova, ulong size, ulong vaddr, uint flags)
        {
            ReadOnlySpan<ulong> arguments = [iova, size, vaddr, flags];
            return (int)worker.Call(NativeWorker.Op.MapDma, handle, payload: MemoryMarshal.AsBytes(arguments)).Ret;
        }

        public int UnmapDma(ulong iova, ulong size, uint flags, out ulong unmapped)
        {
            var reply = worker.Call(NativeWorker.Op.UnmapDma, handle, iova, size, flags);
            unmapped = reply.X;
            return (int)reply.Ret;
        }

        public int GetInfo(Span<byte> buffer)
        {
            var reply = worker.Call(NativeWorker.Op.GetInfo, handle, (ulong)buffer.Length, payload: buffer);
            worker.ReadMore(buffer.Length).CopyTo(buffer);
            return (int)reply.Ret;
        }

        public NativeAbi.DmaMapping[] Mappings()
        {
            long count = worker.Call(NativeWorker.Op.Mappings, handle).Ret;
            return [.. MemoryMarshal.Cast<byte, NativeAbi.DmaMapping>(worker.ReadMore(checked((int)count * sizeof(NativeAbi.DmaMapping))))];
        }
    }
}
