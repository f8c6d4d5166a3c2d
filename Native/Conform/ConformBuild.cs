namespace Harness.Native.Conform;

/// <summary>A surface of a kernel tree compiled in userspace with native/linux-compat, behind the native ABI, and loaded.</summary>
public static class ConformBuild
{
    /// <summary>Isolated (as conform runs it) unless asked otherwise: the benchmarks load it into their own process.</summary>
    /// <exception cref="NativeImplementationException">A file failed to build (the message says which and why), or the result cannot be loaded.</exception>
    public static NativeImplementation Build(KernelTree tree, ConformSurface surface, string directory, bool isolated = true)
    {
        string native = CCompiler.NativeDirectory;
        string compat = Path.Combine(native, "linux-compat");
        string library = Path.Combine(directory, $"{Path.GetFileNameWithoutExtension(surface.Name)}-{tree.Version}.so");
        List<string> defines = [$"HARNESS_PROFILE=\"{tree.Profile.Name}\""];
        if (surface.Definitions.Count > 0)
            defines.Add($"HARNESS_EXTRACTED=\"{Extract(tree, surface, Path.ChangeExtension(library, ".extracted.c"))}\"");
        CCompiler.SharedLibrary(
            library,
            surface.Sources.Select(s => Path.Combine(tree.Root, s)).Append(Path.Combine(compat, "harness_slab.c")).Append(Path.Combine(native, surface.Shim)),
            [compat, Path.Combine(tree.Root, "include")],
            defines,
            path => path.StartsWith(tree.Root, StringComparison.Ordinal) ? $"{tree.Source}: {Path.GetRelativePath(tree.Root, path)}" : path);
        return NativeImplementation.Load(library, isolated);
    }

    /// <summary>The surface's definitions copied out of the tree into <paramref name="file"/>, in the build's scratch directory.</summary>
    private static string Extract(KernelTree tree, ConformSurface surface, string file)
    {
        var text = new System.Text.StringBuilder();
        foreach (var definition in surface.Definitions)
        {
            string path = Path.Combine(tree.Root, definition.File);
            if (!File.Exists(path))
                throw new NativeImplementationException($"{tree.Source}: {definition.File}: no such file");
            text.Append(definition.Extract(File.ReadAllText(path), path, tree.Source));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text.ToString());
        return file;
    }
}
