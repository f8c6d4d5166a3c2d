using Harness.Model;
using Harness.Native;
using Harness.Native.Conform;

namespace Harness.Bench.Allocator;

/// <summary>
/// The kernel's own drivers/iommu/iova.c, built as <c>harness conform</c> builds it (from
/// $HARNESS_LINUX_SOURCE, else the newest /usr/src/linux-source-*.tar.xz) and loaded into the
/// benchmark's process, so it runs the same workload as the managed allocators in the same run.
/// Built once per machine and version (again when native/ has changed since); every benchmark
/// process after the first loads the library.
/// </summary>
public static class KernelIova
{
    private static readonly Lazy<NativeImplementation?> Library = new(Load);

    /// <summary>The tree it comes from, or null when there is none.</summary>
    public static string? Source =>
        Environment.GetEnvironmentVariable("HARNESS_LINUX_SOURCE") is { Length: > 0 } named ? named
        : Directory.Exists("/usr/src") ? Directory.GetFiles("/usr/src", "linux-source-*.tar.xz").Order(StringComparer.Ordinal).LastOrDefault()
        : null;

    /// <summary>A fresh top-down domain of the kernel's allocator.</summary>
    /// <exception cref="InvalidOperationException">No Linux source is at hand.</exception>
    public static IIovaAllocator Create(IovaDomain domain) =>
        (Library.Value ?? throw new InvalidOperationException("no Linux source: set HARNESS_LINUX_SOURCE or apt-get install linux-source-6.12"))
            .Allocator(AllocPolicy.TopDown, domain);

    private static NativeImplementation? Load()
    {
        if (Source is not string source)
            return null;
        string directory = Path.Combine(Path.GetTempPath(), $"harness-bench-{Environment.UserName}");
        string built = Path.Combine(directory, $"iova-{Path.GetFileName(source)}.so");
        if (File.Exists(built) && File.GetLastWriteTimeUtc(built) > NewestNativeSource())
            return NativeImplementation.Load(built);
        var tree = KernelTree.Open(source, Path.Combine(directory, "trees"));
        var library = ConformBuild.Build(tree, ConformSurface.Iova, directory, isolated: false);
        File.Copy(library.Path, built, overwrite: true);
        return library;
    }

    /// <summary>When the shim or the compat headers the library is built from last changed.</summary>
    private static DateTime NewestNativeSource() =>
        Directory.EnumerateFiles(CCompiler.NativeDirectory, "*", SearchOption.AllDirectories).Max(File.GetLastWriteTimeUtc);
}
