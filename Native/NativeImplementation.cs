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
    private readonly NativeAbi.Type1GroupsOps? type1Groups;

    private NativeImplementation(string path, string name, KernelProfile profile, NativeAbi.IovaOps? topDown, NativeAbi.IovaOps? lowestFit, NativeAbi.IovaFastOps? fast, NativeAbi.ResvOps? resv, NativeAbi.CapChainOps? capchain, NativeAbi.Type1Ops? type1, NativeAbi.Type1GroupsOps? type1Groups, NativeAbi.PgtableOps? pgtable, bool isolated)
    {
        this.fast = fast;
        this.type1 = type1;
        this.type1Groups = type1Groups;
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

    /// <summary>Whether the library's type1 containers attach and detach groups (harness_type1_groups_ops).</summary>
    public bool HasType1Groups => type1Groups is not null;

    /// <summary>Whether the library has a page table (harness_pgtable_ops).</summary>
    public bool HasPageTable => pgtable is not null;

    /// <summary>
    /// The library at <paramref name="path"/>. Isolated, its descriptor is read by a worker and the
    /// library is never loaded into this process; in-process, it is loaded here and stays loaded.
    /// </summary>
    /// <exception cref="NativeImplementationException">The library cannot be used; the message says why.</exception>
    public static NativeImplementation Load(string path, bool isolated = false)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new NativeImplementationException($"{path}: no such file");
        if (!IsElf(full))
            throw new NativeImplementationException($"{path}: not a shared library (no ELF header)");
        if (isolated)
            Workers.Build();
        var d = isolated ? NativeDescriptor.FromWorker(path, full) : NativeDescriptor.InProcess(path, full);
        if (d.AbiVersion < NativeAbi.OldestVersion || d.AbiVersion > NativeAbi.Version)
            throw new NativeImplementationException($"{path}: ABI version {d.AbiVersion}, but this harness speaks versions {NativeAbi.OldestVersion} to {NativeAbi.Version}");
        string name = d.Name ?? System.IO.Path.GetFileName(full);
        string profileName = d.Profile ?? throw new NativeImplementationException($"{path}: the descriptor names no profile");
        var profile = KernelProfiles.Find(profileName)
            ?? throw new NativeImplementationException($"{path}: profile '{profileName}' is not one this harness knows ({KernelProfiles.Names})");
        Require(path, "iova_top_down", d.TopDown is not { } top || Complete(top));
        Require(path, "iova_lowest_fit", d.LowestFit is not { } lowest || Complete(lowest));
        Require(path, "resv", d.Resv is not { Insert: null });
        Require(path, "capchain", d.CapChain is not { Parse: null });
        Require(path, "type1", d.Type1 is not { } t || (t.Create is not null && t.Destroy is not null && t.MapDma is not null && t.UnmapDma is not null && t.GetInfo is not null && t.Mappings is not null));
        Require(path, "pgtable", d.Pgtable is not { } p || (p.Create is not null && p.Destroy is not null && p.MapPages is not null && p.UnmapPages is not null && p.IovaToPhys is not null));
        Require(path, "iova_fast", d.Fast is not { } f || (f.AllocFast is not null && f.FreeFast is not null));
        Require(path, "type1_groups", d.Type1Groups is not { } g || (g.AttachGroup is not null && g.DetachGroup is not null));
        if (d.Type1Groups is not null && d.Type1 is null)
            throw new NativeImplementationException($"{path}: type1_groups attaches groups to type1's containers, and type1 is NULL");
        if (d.Fast is not null && d.TopDown is null)
            throw new NativeImplementationException($"{path}: iova_fast is the fast path of iova_top_down, which is NULL");
        if (d.TopDown is null && d.LowestFit is null && d.Resv is null && d.CapChain is null && d.Type1 is null && d.Pgtable is null)
            throw new NativeImplementationException($"{path}: the descriptor implements no surface");
        return new NativeImplementation(full, name, profile, d.TopDown, d.LowestFit, d.Fast, d.Resv, d.CapChain, d.Type1, d.Type1Groups, d.Pgtable, isolated);
    }

    private static bool IsElf(string file)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(file);
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("\u007fELF"u8);
    }

    private static void Require(string path, string field, bool complete)
    {
        if (!complete)
            throw new NativeImplementationException($"{path}: {field} leaves a function NULL: every one of its functions is needed");
    }

    private static bool Complete(NativeAbi.IovaOps ops) =>
        ops.Create is not null && ops.Destroy is not null && ops.Alloc is not null && ops.Free is not null
        && ops.Reserve is not null && ops.Find is not null && ops.Allocations is not null;

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
        return new NativeType1Container(Type1Calls(ops), DmaSpec.Attached(setup).State, setup.Container.DmaEntryLimit);
    }

    /// <summary>A fresh container of the library's type1 surface with no group, attached through its type1_groups.</summary>
    /// <exception cref="InvalidOperationException">The library has no type1_groups.</exception>
    public IVfioContainer Type1GroupsContainer(ContainerSetup setup)
    {
        var ops = type1 is not null && type1Groups is not null ? type1.Value : throw new InvalidOperationException($"{Name} implements no type1_groups");
        return new NativeType1Container(Type1Calls(ops), setup.DmaEntryLimit) { AllowUnsafeInterrupts = setup.AllowUnsafeInterrupts };
    }

    private NativeType1Container.IType1Calls Type1Calls(NativeAbi.Type1Ops ops) =>
        Isolated ? new NativeType1Container.Isolated(Workers.For(Path, "type1")) : new NativeType1Container.InProcess(ops, type1Groups);

    /// <summary>A fresh table of the library's, driven as iommu_map drives io_pgtable_ops, expected to map the page sizes the model's table maps.</summary>
    /// <exception cref="InvalidOperationException">The library has none.</exception>
    public IIoPageTable PageTable(IoPgtableConfig config, ulong expectedPgsizes)
    {
        var ops = pgtable ?? throw new InvalidOperationException($"{Name} implements no page table");
        NativeIoPgtable.IPgtableCalls calls = Isolated ? new NativeIoPgtable.Isolated(Workers.For(Path, "pgtable")) : new NativeIoPgtable.InProcess(ops);
        return new IommuDomain(config, new NativeIoPgtable(calls, config, expectedPgsizes));
    }
}
