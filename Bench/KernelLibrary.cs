using Harness.Model;
using Harness.Native;
using Harness.Native.Conform;

namespace Harness.Bench;

/// <summary>
/// The kernel's own code for a surface (drivers/iommu/iova.c, io-pgtable-arm.c), built as
/// <c>harness conform</c> builds it (from $HARNESS_LINUX_SOURCE, else the newest
/// /usr/src/linux-source-*.tar.xz) and loaded into the benchmark's process, so it runs the same
/// workload as the managed code in the same run. Built once per machine, version and surface
/// (again when native/ has changed since); every benchmark process after the first loads it.
/// </summary>
public static class KernelLibrary
{
    private static readonly Lazy<NativeImplementation?> IovaLibrary = new(() => Load(ConformSurface.Iova, "iova"));
    private static readonly Lazy<NativeImplementation?> PageTableLibrary = new(() => Load(ConformSurface.PageTable, "pgtable"));

    /// <summary>The tree it comes from, or null when there is none.</summary>
    public static string? Source =>
        Environment.GetEnvironmentVariable("HARNESS_LINUX_SOURCE") is { Length: > 0 } named ? named
        : Directory.Exists("/usr/src") ? Directory.GetFiles("/usr/src", "linux-source-*.tar.xz").Order(StringComparer.Ordinal).LastOrDefault()
        : null;

    /// <summary>A fresh top-down domain of the kernel's iova.c.</summary>
    /// <exception cref="InvalidOperationException">No Linux source is at hand.</exception>
    public static IIovaAllocator Iova(IovaDomain domain) => Of(IovaLibrary).Allocator(AllocPolicy.TopDown, domain);

    /// <summary>A fresh io-pgtable-arm table of the kernel's, driven as iommu_map drives it.</summary>
    /// <exception cref="InvalidOperationException">No Linux source is at hand.</exception>
    public static IIoPageTable PageTable(IoPgtableConfig config, ulong pgsizes) => Of(PageTableLibrary).PageTable(config, pgsizes);

    private static NativeImplementation Of(Lazy<NativeImplementation?> library) =>
        library.Value ?? throw new InvalidOperationException("no Linux source: set HARNESS_LINUX_SOURCE or apt-get install linux-source-6.12");

    private static NativeImplementation? Load(ConformSurface surface, string label)
    {
        if (Source is not string source)
            return null;
        string directory = Path.Combine(Path.GetTempPath(), $"harness-bench-{Environment.UserName}");
        string built = Path.Combine(directory, $"{label}-{Path.GetFileName(source)}.so");
        if (File.Exists(built) && File.GetLastWriteTimeUtc(built) > NewestNativeSource())
            return NativeImplementation.Load(built);
        var tree = KernelTree.Open(source, Path.Combine(directory, "trees"));
        var library = ConformBuild.Build(tree, surface, directory, isolated: false);
        File.Copy(library.Path, built, overwrite: true);
        return library;
    }

    /// <summary>When the shim or the compat headers the library is built from last changed.</summary>
    private static DateTime NewestNativeSource() =>
        Directory.EnumerateFiles(CCompiler.NativeDirectory, "*", SearchOption.AllDirectories).Max(File.GetLastWriteTimeUtc);
}
