namespace Harness.Native.Isolation;

/// <summary>
/// The worker program, built once per machine and ABI version from native/isolation with the
/// system compiler, and each thread's live child per library and policy (a dead one is replaced).
/// </summary>
internal static class Workers
{
    private static readonly Lock Building = new();

    [ThreadStatic]
    private static Dictionary<(string Library, string Policy), NativeWorker>? live;

    private static string Program => Path.Combine(Path.GetTempPath(), $"harness-worker-abi{NativeAbi.Version}-{Environment.UserName}");

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

    public static NativeWorker For(string library, string policy)
    {
        live ??= [];
        if (!live.TryGetValue((library, policy), out var worker) || worker.Dead)
        {
            worker?.Dispose();
            live[(library, policy)] = worker = new NativeWorker(Program, library, policy);
        }

        return worker;
    }
}
