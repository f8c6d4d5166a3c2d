using System.Diagnostics;
using Harness.Native.Conform;

namespace Harness.Native;

/// <summary>
/// The system C compiler ($CC, else cc), building shared libraries for the native ABI: the
/// examples in native/examples and the kernel's own sources under conform.
/// </summary>
public static class CCompiler
{
    public static string Command => Environment.GetEnvironmentVariable("CC") is { Length: > 0 } cc ? cc : "cc";

    /// <summary>native/ as shipped beside the harness: the ABI header, the examples, the compat layer and the shims.</summary>
    public static string NativeDirectory => Path.Combine(AppContext.BaseDirectory, "native");

    /// <summary>Whether a compiler answers at all.</summary>
    public static bool Available()
    {
        try
        {
            return Tools.Run(new ProcessStartInfo(Command, "--version"), "a C compiler").ExitCode == 0;
        }
        catch (NativeImplementationException)
        {
            return false;
        }
    }

    /// <summary>Compiles and links <paramref name="sources"/> into the program <paramref name="output"/>.</summary>
    /// <exception cref="NativeImplementationException">No compiler, or a file did not build.</exception>
    public static void Executable(string output, IEnumerable<string> sources, IEnumerable<string> libraries) =>
        Compile(["-O2", "-o", output], output, sources.Concat(libraries), [], [], null);

    /// <summary>Compiles <paramref name="sources"/> into the shared library <paramref name="output"/>.</summary>
    /// <exception cref="NativeImplementationException">No compiler, or a file did not build; the message names the file and the first error.</exception>
    public static void SharedLibrary(string output, IEnumerable<string> sources, IEnumerable<string> includes, IEnumerable<string> defines, Func<string, string>? describe = null) =>
        Compile(["-shared", "-fPIC", "-O2", "-g", "-w", "-o", output], output, sources, includes, defines, describe);

    private static void Compile(string[] flags, string output, IEnumerable<string> sources, IEnumerable<string> includes, IEnumerable<string> defines, Func<string, string>? describe)
    {
        var start = new ProcessStartInfo(Command);
        foreach (string arg in flags)
            start.ArgumentList.Add(arg);
        foreach (string include in includes)
            start.ArgumentList.Add($"-I{include}");
        foreach (string define in defines)
            start.ArgumentList.Add($"-D{define}");
        var files = sources.ToList();
        foreach (string source in files)
            start.ArgumentList.Add(source);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        var run = Tools.Run(start, "a C compiler (apt-get install gcc, or set CC)");
        if (run.ExitCode == 0)
            return;
        string error = run.Error.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.Ordinal)) ?? Tools.FirstLine(run.Error);
        string file = files.FirstOrDefault(f => error.StartsWith(f, StringComparison.Ordinal)) is { } failed
            ? (describe ?? (f => f))(failed)
            : string.Join(", ", files.Select(describe ?? (f => f)));
        throw new NativeImplementationException($"{file} failed to build: {error.Trim()}");
    }
}
