using System.Diagnostics;
using System.Text.RegularExpressions;
using Harness.Model;

namespace Harness.Native.Conform;

/// <summary>
/// A Linux source tree to conform against: a directory, or a Debian linux-source-X.Y.tar.xz of
/// which only the files the surfaces need are extracted (into a scratch directory). Its version
/// comes from the top Makefile.
/// </summary>
public sealed partial class KernelTree
{
    private KernelTree(string source, string root, Version version)
    {
        Source = source;
        Root = root;
        Version = version;
    }

    /// <summary>What the user named.</summary>
    public string Source { get; }

    /// <summary>The directory holding Makefile, drivers/, lib/, include/.</summary>
    public string Root { get; }

    /// <summary>VERSION.PATCHLEVEL.SUBLEVEL.</summary>
    public Version Version { get; }

    /// <exception cref="NativeImplementationException">Not a tree or tarball, or a file missing; the message says which.</exception>
    public static KernelTree Open(string source, string scratch)
    {
        string root;
        if (Directory.Exists(source))
            root = source;
        else if (File.Exists(source) && source.EndsWith(".tar.xz", StringComparison.Ordinal))
            root = Extract(source, scratch);
        else
            throw new NativeImplementationException($"{source}: neither a Linux source directory nor a .tar.xz of one");

        string makefile = Path.Combine(root, "Makefile");
        if (!File.Exists(makefile))
            throw new NativeImplementationException($"{source}: no top-level Makefile, so not a Linux tree");
        return new KernelTree(source, root, ReadVersion(source, File.ReadAllText(makefile)));
    }

    /// <summary>The profile whose rules this tree's version has (docs/SPEC.md, "Profiles").</summary>
    /// <exception cref="NativeImplementationException">Older than any profile.</exception>
    public KernelProfile Profile =>
        Version >= new Version(6, 18) ? KernelProfiles.Linux618
        : Version >= new Version(6, 6) ? KernelProfiles.Linux612
        : Version >= new Version(6, 1) ? KernelProfiles.Linux61
        : throw new NativeImplementationException($"{Source}: Linux {Version} is older than every profile (the oldest is linux-6.1)");

    private static Version ReadVersion(string source, string makefile)
    {
        int Field(string name) =>
            Regex.Match(makefile, $@"^{name}\s*=\s*(\d+)\s*$", RegexOptions.Multiline) is { Success: true } m
                ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
                : throw new NativeImplementationException($"{source}: the Makefile sets no {name}, so the version is unknown");
        return new Version(Field("VERSION"), Field("PATCHLEVEL"), Field("SUBLEVEL"));
    }

    /// <summary>Debian's tarball holds one directory named as the file (linux-source-6.1/); only the surfaces' files come out.</summary>
    private static string Extract(string tarball, string scratch)
    {
        string top = Path.GetFileName(tarball)[..^".tar.xz".Length];
        Directory.CreateDirectory(scratch);
        var tar = new ProcessStartInfo("tar");
        foreach (string arg in (string[])["-xJf", Path.GetFullPath(tarball), "-C", scratch])
            tar.ArgumentList.Add(arg);
        foreach (string file in ConformSurface.TreeFiles)
            tar.ArgumentList.Add($"{top}/{file}");
        var run = Tools.Run(tar, "tar (install tar and xz-utils)");
        string root = Path.Combine(scratch, top);
        if (run.ExitCode != 0)
            throw new NativeImplementationException($"{tarball}: tar could not extract the files needed: {Tools.FirstLine(run.Error)}");
        return root;
    }
}
