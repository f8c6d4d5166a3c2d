using System.IO.Pipes;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Harness.Fuzz;

/// <summary>
/// AFL++'s fork-server protocol spoken by a persistent .NET process (SharpFuzz instruments the
/// code; this loop replaces its Fuzzer.Run). Each round waits for AFL's go before reading the
/// input: SharpFuzz reads the first input before that, so a freshly started target sometimes
/// ran the previous test case, and AFL counted a whole bitmap as unstable. The input is read
/// with pread at offset 0, the trace's previous location is reset, and the first input is run
/// twice so static initialisation does not show as coverage.
/// </summary>
public static partial class AflForkServer
{
    private const int MapSize = 1 << 16;
    private const int ControlFd = 198;
    private const int StatusFd = 199;

    /// <summary>A raw wait status AFL++ reads as "killed by SIGABRT": a crash.</summary>
    private const int CrashStatus = 6;

    public static bool UnderAfl => Environment.GetEnvironmentVariable("__AFL_SHM_ID") is not null;

    public static unsafe void Run(Action<ReadOnlySpan<byte>> run)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("__AFL_SHM_ID"), out int shmId))
            throw new InvalidOperationException("__AFL_SHM_ID is not a shared-memory id");
        nint map = shmat(shmId, 0, 0);
        if (map == -1)
            throw new InvalidOperationException($"shmat({shmId}) failed: errno {Marshal.GetLastPInvokeError()}");
        SharpFuzz.Common.Trace.SharedMem = (byte*)map;

        using var control = new BinaryReader(new AnonymousPipeClientStream(PipeDirection.In, ControlFd.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var status = new BinaryWriter(new AnonymousPipeClientStream(PipeDirection.Out, StatusFd.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var stdin = new SafeFileHandle(0, ownsHandle: false);
        status.Write(0);
        int pid = Environment.ProcessId;
        for (bool first = true; ; first = false)
        {
            control.ReadInt32();
            status.Write(pid);
            byte[] input = new byte[RandomAccess.GetLength(stdin)];
            RandomAccess.Read(stdin, input, 0);
            if (first)
            {
                Execute(run, input);
                new Span<byte>((byte*)map, MapSize).Clear();
            }

            status.Write(Execute(run, input));
        }
    }

    private static int Execute(Action<ReadOnlySpan<byte>> run, byte[] input)
    {
        SharpFuzz.Common.Trace.PrevLocation = 0;
        try
        {
            run(input);
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine(e);
            return CrashStatus;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint shmat(int shmid, nint shmaddr, int shmflg);
}
