namespace Harness.Native.Isolation;

/// <summary>
/// The worker program, built once per machine and ABI version from native/isolation with the
/// system compiler, and each thread's live child per library and surface (a dead one is replaced).
/// </summary>
internal static class Workers
{
    private static readonly Lock Building = new();

    [ThreadStatic]
    private static Dictionary<(string Library, string Surface), NativeWorker>? live;

    public static string Program => Path.Combine(Path.GetTempPath(), $"harness-worker-abi{NativeAbi.Version}-{Environment.UserName}");

    /// <exception cref="NativeImplementationException">No compiler, or the worker does not build.</exception>
    public static void Build()
    {
        lock (Building)
        {
            string source = Path.Combine(CCompiler.NativeDirectory, "isolation", "harness_worker.c");
            if (File.Exists(Program) && File.GetLastWriteTimeUtc(Program) >= File.GetLastWriteTimeUtc(source))
                return;
            string building = $"{Program}.{Environment.ProcessId}";
            CCompiler.Executable(building, [source], ["-ldl"]);
            File.Move(building, Program, overwrite: true);
        }
    }

    /// <summary>This thread's live child for that library's surface (top-down, lowest-fit, resv, capchain).</summary>
    public static NativeWorker For(string library, string surface)
    {
        live ??= [];
        if (!live.TryGetValue((library, surface), out var worker) || worker.Dead)
        {
            worker?.Dispose();
            live[(library, surface)] = worker = new NativeWorker(Program, library, surface);
        }

        return worker;
    }
}
