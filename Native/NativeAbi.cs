using System.Runtime.InteropServices;

namespace Harness.Native;

/// <summary>native/harness_impl.h as C# sees it: the descriptor and the surfaces' function tables, field for field.</summary>
internal static unsafe class NativeAbi
{
    /// <summary>HARNESS_IMPL_ABI_VERSION: the layout below.</summary>
    public const uint Version = 4;

    /// <summary>Version 1 libraries (the allocators only) are still accepted.</summary>
    public const uint OldestVersion = 1;

    /// <summary>The one symbol a library exports.</summary>
    public const string Describe = "harness_impl_describe";

    [StructLayout(LayoutKind.Sequential)]
    public struct HarnessRange
    {
        public ulong PfnLo;
        public ulong PfnHi;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct IovaOps
    {
        public delegate* unmanaged<ulong, ulong, void*> Create;
        public delegate* unmanaged<void*, void> Destroy;
        public delegate* unmanaged<void*, ulong, ulong, int, ulong*, int> Alloc;
        public delegate* unmanaged<void*, ulong, int> Free;
        public delegate* unmanaged<void*, ulong, ulong, int> Reserve;
        public delegate* unmanaged<void*, ulong, HarnessRange*, int> Find;
        public delegate* unmanaged<void*, HarnessRange*, nuint, nuint> Allocations;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct ResvRegion
    {
        public ulong Start;
        public ulong Last;
        public int Prot;
        public uint Type;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct ResvOps
    {
        public delegate* unmanaged<ResvRegion*, nuint, nuint, ResvRegion*, nint> Insert;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct IovaRange
    {
        public ulong Start;
        public ulong End;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Info
    {
        public uint Argsz;
        public uint Flags;
        public ulong IovaPgsizes;
        public uint CapOffset;
        public uint HasIovaRanges;
        public uint NrIovas;
        public uint HasDmaAvail;
        public uint DmaAvail;
        public uint HasMigration;
        public uint MigrationFlags;
        public ulong MigrationPgsizeBitmap;
        public ulong MaxDirtyBitmapSize;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct CapChainError
    {
        public uint Check;
        public uint Offset;
        public ulong Value;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct CapChainOps
    {
        public delegate* unmanaged<byte*, nuint, Info*, IovaRange*, nuint, CapChainError*, int> Parse;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct DmaMapping
    {
        public ulong Iova;
        public ulong Size;
        public ulong Vaddr;
        public uint Prot;
        public uint VaddrInvalid;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Type1Ops
    {
        public delegate* unmanaged<ulong, uint, IovaRange*, nuint, void*> Create;
        public delegate* unmanaged<void*, void> Destroy;
        public delegate* unmanaged<void*, ulong, ulong, ulong, uint, int> MapDma;
        public delegate* unmanaged<void*, ulong, ulong, uint, ulong*, int> UnmapDma;
        public delegate* unmanaged<void*, byte*, nuint, int> GetInfo;
        public delegate* unmanaged<void*, DmaMapping*, nuint, nuint> Mappings;
    }

    /// <summary>struct harness_iommu_group up to its regions: what a worker's attach request carries before them.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IommuGroupFields
    {
        public int Id;
        public uint SharesDomain;
        public int Domain;
        public uint MsiIsolated;
        public ulong ApertureStart;
        public ulong ApertureEnd;
        public ulong PgsizeBitmap;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct IommuGroup
    {
        public IommuGroupFields Fields;
        public ResvRegion* Resv;
        public nuint NrResv;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Type1GroupsOps
    {
        public delegate* unmanaged<void*, IommuGroup*, int, int> AttachGroup;
        public delegate* unmanaged<void*, int, int> DetachGroup;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct PgtableOps
    {
        public delegate* unmanaged<ulong, uint, uint, ulong*, void*> Create;
        public delegate* unmanaged<void*, void> Destroy;
        public delegate* unmanaged<void*, ulong, ulong, ulong, ulong, int, ulong*, int> MapPages;
        public delegate* unmanaged<void*, ulong, ulong, ulong, ulong> UnmapPages;
        public delegate* unmanaged<void*, ulong, ulong> IovaToPhys;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Impl
    {
        public uint AbiVersion;
        public byte* Name;
        public byte* Profile;
        public IovaOps* IovaTopDown;
        public IovaOps* IovaLowestFit;
        public ResvOps* Resv;
        public CapChainOps* CapChain;
        public Type1Ops* Type1;
        public PgtableOps* Pgtable;
        public IovaFastOps* IovaFast;
        public Type1GroupsOps* Type1Groups;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct IovaFastOps
    {
        public delegate* unmanaged<void*, ulong, ulong, int, ulong*, int> AllocFast;
        public delegate* unmanaged<void*, ulong, ulong, void> FreeFast;
    }
}
