namespace Harness.Native.Conform;

/// <summary>A surface of a kernel tree compiled in userspace with native/linux-compat, behind the native ABI, and loaded.</summary>
public static class ConformBuild
{
    /// <exception cref="NativeImplementationException">A file failed to build (the message says which and why), or the result cannot be loaded.</exception>
    public static NativeImplementation Build(KernelTree tree, ConformSurface surface, string directory)
    {
        string native = CCompiler.NativeDirectory;
        string compat = Path.Combine(native, "linux-compat");
        string library = Path.Combine(directory, $"{Path.GetFileNameWithoutExtension(surface.Name)}-{tree.Version}.so");
        CCompiler.SharedLibrary(
            library,
            surface.Sources.Select(s => Path.Combine(tree.Root, s)).Append(Path.Combine(compat, "harness_slab.c")).Append(Path.Combine(native, surface.Shim)),
            [compat, Path.Combine(tree.Root, "include")],
            [$"HARNESS_PROFILE=\"{tree.Profile.Name}\""],
            path => path.StartsWith(tree.Root, StringComparison.Ordinal) ? $"{tree.Source}: {Path.GetRelativePath(tree.Root, path)}" : path);
        return NativeImplementation.Load(library, isolated: true);
    }
}
