using System.Runtime.InteropServices;
using Harness.Model;
using Harness.Native.Isolation;
using Harness.Properties;

namespace Harness.Native;

/// <summary>
/// A user's shared library behind native/harness_impl.h, loaded into this process: its name, the
/// profile it claims and the surfaces it implements. The library stays loaded for the process's life.
/// </summary>
public sealed unsafe class NativeImplementation
{
    private readonly NativeAbi.IovaOps? topDown;
    private readonly NativeAbi.IovaOps? lowestFit;
    private readonly NativeAbi.ResvOps? resv;
    private readonly NativeAbi.CapChainOps? capchain;
    private readonly NativeAbi.Type1Ops? type1;
    private readonly NativeAbi.PgtableOps? pgtable;
    private readonly NativeAbi.IovaFastOps? fast;

    private NativeImplementation(string path, string name, KernelProfile profile, NativeAbi.IovaOps? topDown, NativeAbi.IovaOps? lowestFit, NativeAbi.IovaFastOps? fast, NativeAbi.ResvOps? resv, NativeAbi.CapChainOps? capchain, NativeAbi.Type1Ops? type1, NativeAbi.PgtableOps? pgtable, bool isolated)
    {
        this.fast = fast;
        this.type1 = type1;
        this.pgtable = pgtable;
        this.resv = resv;
        this.capchain = capchain;
        Isolated = isolated;
        Path = path;
        Name = name;
        Profile = profile;
        this.topDown = topDown;
        this.lowestFit = lowestFit;
    }

    public string Path { get; }

    public string Name { get; }

    public KernelProfile Profile { get; }

    /// <summary>Whether the library's code runs in child processes (a crash or hang is a counterexample) or in this one (fastest).</summary>
    public bool Isolated { get; }

    /// <summary>The allocator policies the library implements.</summary>
    public IReadOnlyList<AllocPolicy> AllocPolicies =>
        [.. topDown is null ? [] : new[] { AllocPolicy.TopDown }, .. lowestFit is null ? [] : new[] { AllocPolicy.LowestFit }];

    /// <summary>Whether the library's top-down allocator has iova.c's fast path (harness_iova_fast_ops).</summary>
    public bool HasFastPath => fast is not null;

    /// <summary>Whether the library has a group merge (harness_resv_ops).</summary>
    public bool HasResvMerge => resv is not null;

    /// <summary>Whether the library has a GET_INFO parser (harness_capchain_ops).</summary>
    public bool HasCapChainParser => capchain is not null;

    /// <summary>Whether the library has a type1 container's DMA tracking (harness_type1_ops).</summary>
    public bool HasType1 => type1 is not null;

    /// <summary>Whether the library has a page table (harness_pgtable_ops).</summary>
    public bool HasPageTable => pgtable is not null;

    /// <exception cref="NativeImplementationException">The library cannot be used; the message says why.</exception>
    public static NativeImplementation Load(string path, bool isolated = false)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new NativeImplementationException($"{path}: no such file");
        if (!NativeLibrary.TryLoad(full, out var handle))
            throw new NativeImplementationException($"{path}: not a shared library this process can load (wrong architecture, or a missing dependency: try ldd)");
        if (!NativeLibrary.TryGetExport(handle, NativeAbi.Describe, out var describe))
            throw new NativeImplementationException($"{path}: exports no {NativeAbi.Describe}() (see native/harness_impl.h)");

        var impl = ((delegate* unmanaged<NativeAbi.Impl*>)describe)();
        if (impl is null)
            throw new NativeImplementationException($"{path}: {NativeAbi.Describe}() returned NULL");
        if (impl->AbiVersion < NativeAbi.OldestVersion || impl->AbiVersion > NativeAbi.Version)
            throw new NativeImplementationException($"{path}: ABI version {impl->AbiVersion}, but this harness speaks versions {NativeAbi.OldestVersion} to {NativeAbi.Version}");
        string name = Text(impl->Name) ?? System.IO.Path.GetFileName(full);
        string profileName = Text(impl->Profile) ?? throw new NativeImplementationException($"{path}: the descriptor names no profile");
        var profile = KernelProfiles.Find(profileName)
            ?? throw new NativeImplementationException($"{path}: profile '{profileName}' is not one this harness knows ({KernelProfiles.Names})");
        var topDown = Table(path, "iova_top_down", impl->IovaTopDown);
        var lowestFit = Table(path, "iova_lowest_fit", impl->IovaLowestFit);
        bool second = impl->AbiVersion >= 2;
        NativeAbi.ResvOps? resv = second && impl->Resv is not null ? *impl->Resv : null;
        NativeAbi.CapChainOps? capchain = second && impl->CapChain is not null ? *impl->CapChain : null;
        if (resv is { Insert: null })
            throw new NativeImplementationException($"{path}: resv leaves insert NULL");
        if (capchain is { Parse: null })
            throw new NativeImplementationException($"{path}: capchain leaves parse NULL");
        NativeAbi.Type1Ops? type1 = second && impl->Type1 is not null ? *impl->Type1 : null;
        if (type1 is { } t && (t.Create is null || t.Destroy is null || t.MapDma is null || t.UnmapDma is null || t.GetInfo is null || t.Mappings is null))
            throw new NativeImplementationException($"{path}: type1 leaves a function NULL: every one of its functions is needed");
        NativeAbi.PgtableOps? pgtable = impl->AbiVersion >= 3 && impl->Pgtable is not null ? *impl->Pgtable : null;
        if (pgtable is { } p && (p.Create is null || p.Destroy is null || p.MapPages is null || p.UnmapPages is null || p.IovaToPhys is null))
            throw new NativeImplementationException($"{path}: pgtable leaves a function NULL: every one of its functions is needed");
        NativeAbi.IovaFastOps? fast = impl->AbiVersion >= 3 && impl->IovaFast is not null ? *impl->IovaFast : null;
        if (fast is { } f && (f.AllocFast is null || f.FreeFast is null))
            throw new NativeImplementationException($"{path}: iova_fast leaves a function NULL: both are needed");
        if (fast is not null && topDown is null)
            throw new NativeImplementationException($"{path}: iova_fast is the fast path of iova_top_down, which is NULL");
        if (topDown is null && lowestFit is null && resv is null && capchain is null && type1 is null && pgtable is null)
            throw new NativeImplementationException($"{path}: the descriptor implements no surface");
        if (isolated)
            Workers.Build();
        return new NativeImplementation(full, name, profile, topDown, lowestFit, fast, resv, capchain, type1, pgtable, isolated);
    }

    /// <summary>A fresh domain of the library's allocator for that policy.</summary>
    /// <exception cref="InvalidOperationException">The library has no allocator for that policy.</exception>
    public IIovaAllocator Allocator(AllocPolicy policy, IovaDomain domain)
    {
        var ops = (policy == AllocPolicy.TopDown ? topDown : lowestFit) ?? throw new InvalidOperationException($"{Name} implements no {policy} allocator");
        return Isolated
            ? new Isolation.IsolatedIovaAllocator(Workers.For(Path, policy == AllocPolicy.TopDown ? "top-down" : "lowest-fit"), domain)
            : new NativeIovaAllocator(ops, policy == AllocPolicy.TopDown ? fast : null, domain);
    }

    /// <summary>A fresh domain of the library's top-down allocator, with its fast path.</summary>
    /// <exception cref="InvalidOperationException">The library has no fast path.</exception>
    public IIovaFastPath FastPath(IovaDomain domain) =>
        fast is null ? throw new InvalidOperationException($"{Name} implements no fast path") : (IIovaFastPath)Allocator(AllocPolicy.TopDown, domain);

    /// <summary>The library's group merge, one list per call.</summary>
    /// <exception cref="InvalidOperationException">The library has none.</exception>
    public Func<IEnumerable<ResvRegion>, List<ResvRegion>> ResvMerge()
    {
        var ops = resv ?? throw new InvalidOperationException($"{Name} implements no resv merge");
        return Isolated
            ? NativeResvMerge.Merge((ReadOnlySpan<NativeAbi.ResvRegion> given, out NativeAbi.ResvRegion[] list) => NativeResvMerge.Isolated(Workers.For(Path, "resv"), given, out list))
            : NativeResvMerge.Merge((ReadOnlySpan<NativeAbi.ResvRegion> given, out NativeAbi.ResvRegion[] list) => NativeResvMerge.InProcess(ops, given, out list));
    }

    /// <summary>The library's GET_INFO parser.</summary>
    /// <exception cref="InvalidOperationException">The library has none.</exception>
    public IInfoSummaryParser CapChainParser()
    {
        var ops = capchain ?? throw new InvalidOperationException($"{Name} implements no capchain parser");
        return Isolated
            ? new NativeCapChainParser((ReadOnlySpan<byte> buffer, out NativeAbi.Info info, out NativeAbi.CapChainError error, out NativeAbi.IovaRange[] ranges) =>
                NativeCapChainParser.Isolated(Workers.For(Path, "capchain"), buffer, out info, out error, out ranges))
            : new NativeCapChainParser((ReadOnlySpan<byte> buffer, out NativeAbi.Info info, out NativeAbi.CapChainError error, out NativeAbi.IovaRange[] ranges) =>
                NativeCapChainParser.InProcess(ops, buffer, out info, out error, out ranges));
    }

    /// <summary>A fresh container of the library's type1 surface, in the state the model's attach of the setup's group left.</summary>
    /// <exception cref="InvalidOperationException">The library has none.</exception>
    public IVfioContainer Type1Container(DmaSetup setup)
    {
        var ops = type1 ?? throw new InvalidOperationException($"{Name} implements no type1 container");
        NativeType1Container.IType1Calls calls = Isolated ? new NativeType1Container.Isolated(Workers.For(Path, "type1")) : new NativeType1Container.InProcess(ops);
        return new NativeType1Container(calls, DmaSpec.Attached(setup).State, setup.Container.DmaEntryLimit);
    }

    /// <summary>A fresh table of the library's, driven as iommu_map drives io_pgtable_ops, expected to map the page sizes the model's table maps.</summary>
    /// <exception cref="InvalidOperationException">The library has none.</exception>
    public IIoPageTable PageTable(IoPgtableConfig config, ulong expectedPgsizes)
    {
        var ops = pgtable ?? throw new InvalidOperationException($"{Name} implements no page table");
        NativeIoPgtable.IPgtableCalls calls = Isolated ? new NativeIoPgtable.Isolated(Workers.For(Path, "pgtable")) : new NativeIoPgtable.InProcess(ops);
        return new IommuDomain(config, new NativeIoPgtable(calls, config, expectedPgsizes));
    }

    private static NativeAbi.IovaOps? Table(string path, string field, NativeAbi.IovaOps* ops)
    {
        if (ops is null)
            return null;
        if (ops->Create is null || ops->Destroy is null || ops->Alloc is null || ops->Free is null
            || ops->Reserve is null || ops->Find is null || ops->Allocations is null)
            throw new NativeImplementationException($"{path}: {field} leaves a function NULL: every one of its functions is needed");
        return *ops;
    }

    private static string? Text(byte* text) => text is null ? null : Marshal.PtrToStringUTF8((nint)text);
}
