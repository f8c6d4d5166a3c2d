using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Harness.Implementation;
using Harness.Model;
using Harness.Native.Isolation;
using Harness.Properties;

namespace Harness.Native;

/// <summary>
/// A native library's type1 DMA tracking (native/harness_impl.h's harness_type1_ops) seen as an
/// <see cref="IVfioContainer"/>: created from the state the model's attach left (valid list, page
/// sizes, dma_entry_limit) for container.dma, or with no group, its groups attached through the
/// library's harness_type1_groups_ops, for container.groups. MSI and translation are not part of the
/// surface; neither property asks for them. What the state holds besides the mappings is read back
/// through GET_INFO.
/// </summary>
internal sealed class NativeType1Container : IVfioContainer
{
    private const int ChainRoom = 4096;

    private static readonly FastCapChainParser Parser = new();

    private readonly IType1Calls calls;
    private readonly ContainerState? attached;
    private readonly uint dmaEntryLimit;
    private readonly List<int> groups = [];

    public NativeType1Container(IType1Calls calls, ContainerState attached, uint dmaEntryLimit)
    {
        this.calls = calls;
        this.attached = attached;
        this.dmaEntryLimit = dmaEntryLimit;
        calls.Create(attached.IovaPgsizes, dmaEntryLimit, [.. attached.ValidIovas.Select(r => new NativeAbi.IovaRange { Start = r.Start, End = r.Last })]);
    }

    /// <summary>A container with no group yet, for a library with harness_type1_groups_ops.</summary>
    public NativeType1Container(IType1Calls calls, uint dmaEntryLimit)
    {
        this.calls = calls;
        this.dmaEntryLimit = dmaEntryLimit;
        calls.Create(0, dmaEntryLimit, []);
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

        int AttachGroup(IommuGroup group, bool allowUnsafeInterrupts);

        int DetachGroup(int groupId);
    }

    public bool AllowUnsafeInterrupts { get; set; }

    public Errno AttachGroup(IommuGroup group)
    {
        if (attached is not null)
            throw new NotSupportedException("this container started attached");
        var errno = Errnos.FromNative(calls.AttachGroup(group, AllowUnsafeInterrupts));
        if (errno == Errno.Ok)
            groups.Add(group.Id);
        return errno;
    }

    public Errno DetachGroup(int groupId)
    {
        if (attached is not null)
            throw new NotSupportedException("this container started attached");
        var errno = Errnos.FromNative(calls.DetachGroup(groupId));
        if (errno == Errno.Ok)
            groups.Remove(groupId);
        return errno;
    }

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

    public ContainerState State
    {
        get
        {
            var mappings = calls.Mappings().Select(m => new DmaMapping(m.Iova, m.Size, m.Vaddr, (DmaMapFlags)m.Prot) { VaddrInvalid = m.VaddrInvalid != 0 }).ToList();
            if (attached is not null)
                return attached with { Mappings = mappings, DmaAvail = Info(ChainRoom + (16 * attached.ValidIovas.Count)).DmaAvail ?? throw NoDmaAvail() };
            if (groups.Count == 0)
                return new ContainerState([], mappings, [], 0, dmaEntryLimit, null, []);
            var info = Info(ChainRoom);
            return new ContainerState([.. groups], mappings, info.IovaRanges ?? [], info.IovaPgsizes, info.DmaAvail ?? throw NoDmaAvail(), null, []);
        }
    }

    private static Divergence NoDmaAvail() => new("the library's GET_INFO has no DMA_AVAIL capability");

    /// <summary>A GET_INFO of <paramref name="room"/> bytes parsed, or a divergence saying why it could not be.</summary>
    private ParsedInfo Info(int room)
    {
        var buffer = new byte[room];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)buffer.Length);
        var errno = GetInfo(buffer);
        if (errno != Errno.Ok)
            throw new Divergence($"GET_INFO with room for the whole chain fails with {errno}");
        if (!Parser.TryParse(buffer, out var info, out var error))
            throw new Divergence($"the library's GET_INFO does not parse: {error}");
        return info;
    }

    /// <summary>The group as struct harness_iommu_group carries it, up to its regions.</summary>
    private static NativeAbi.IommuGroupFields Fields(IommuGroup group) => new()
    {
        Id = group.Id,
        SharesDomain = group.Domain is null ? 0u : 1u,
        Domain = group.Domain ?? 0,
        MsiIsolated = group.MsiIsolated ? 1u : 0u,
        ApertureStart = group.Aperture.Start,
        ApertureEnd = group.Aperture.Last,
        PgsizeBitmap = group.PgsizeBitmap,
    };

    private static NativeAbi.ResvRegion[] Regions(IommuGroup group) => [.. group.ResvRegions.Select(NativeResvMerge.ToNative)];

    internal sealed unsafe class InProcess(NativeAbi.Type1Ops ops, NativeAbi.Type1GroupsOps? groupOps) : IType1Calls
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

        public int AttachGroup(IommuGroup group, bool allowUnsafeInterrupts)
        {
            var attach = groupOps ?? throw new NotSupportedException("the library has no type1_groups");
            var regions = Regions(group);
            fixed (NativeAbi.ResvRegion* resv = regions)
            {
                var native = new NativeAbi.IommuGroup { Fields = Fields(group), Resv = resv, NrResv = (nuint)regions.Length };
                return attach.AttachGroup(container, &native, allowUnsafeInterrupts ? 1 : 0);
            }
        }

        public int DetachGroup(int groupId) => (groupOps ?? throw new NotSupportedException("the library has no type1_groups")).DetachGroup(container, groupId);

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

        public int AttachGroup(IommuGroup group, bool allowUnsafeInterrupts)
        {
            var fields = Fields(group);
            var regions = Regions(group);
            var payload = new byte[sizeof(NativeAbi.IommuGroupFields) + (regions.Length * sizeof(NativeAbi.ResvRegion))];
            MemoryMarshal.Write(payload, in fields);
            MemoryMarshal.AsBytes(regions.AsSpan()).CopyTo(payload.AsSpan(sizeof(NativeAbi.IommuGroupFields)));
            return (int)worker.Call(NativeWorker.Op.AttachGroup, handle, allowUnsafeInterrupts ? 1UL : 0UL, 0, (ulong)regions.Length, payload).Ret;
        }

        public int DetachGroup(int groupId) => (int)worker.Call(NativeWorker.Op.DetachGroup, handle, (ulong)(uint)groupId).Ret;

        public NativeAbi.DmaMapping[] Mappings()
        {
            long count = worker.Call(NativeWorker.Op.Mappings, handle).Ret;
            return [.. MemoryMarshal.Cast<byte, NativeAbi.DmaMapping>(worker.ReadMore(checked((int)count * sizeof(NativeAbi.DmaMapping))))];
        }
    }
}
