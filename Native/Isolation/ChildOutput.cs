using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace Harness.Native.Isolation;

/// <summary>
/// A child's stdout read against a watchdog that counts the child's own CPU time, not the wall
/// clock: on a loaded machine a child that is merely waiting for a core is not hung. A call is
/// hung when the child has spent <see cref="CpuLimit"/> of CPU on it, or when no answer comes in
/// <see cref="WallLimit"/> (a child blocked rather than spinning). The wait is poll(2) on the pipe
/// itself, so a starved thread pool cannot make a call look slow.
/// </summary>
internal sealed partial class ChildOutput(Process process, PipeStream pipe)
{
    public static readonly TimeSpan CpuLimit = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan WallLimit = TimeSpan.FromSeconds(10);

    /// <summary>How often a slow call's CPU time is sampled; the call spent at most this much before the first sample.</summary>
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(200);

    private const short PollIn = 1;

    /// <summary>Fills <paramref name="buffer"/>, or says why not: the child's exit (false) or a hang (the message).</summary>
    public bool TryRead(byte[] buffer, TimeSpan cpuLimit, TimeSpan wallLimit, out string? hang)
    {
        hang = null;
        int got = 0;
        long started = Stopwatch.GetTimestamp();
        TimeSpan? firstSample = null;
        while (got < buffer.Length)
        {
            if (!Readable(Slice))
            {
                TimeSpan cpu = CpuTime();
                firstSample ??= cpu;
                if (cpu - firstSample.Value >= cpuLimit)
                    hang = $"no answer after {cpuLimit.TotalSeconds:0.#} s of its own CPU time";
                else if (Stopwatch.GetElapsedTime(started) >= wallLimit)
                    hang = $"no answer in {wallLimit.TotalSeconds:0.#} s";
                if (hang is not null)
                    return false;
                continue;
            }

            int read = pipe.Read(buffer, got, buffer.Length - got);
            if (read == 0)
                return false;
            got += read;
        }

        return true;
    }

    private TimeSpan CpuTime()
    {
        try
        {
            return process.TotalProcessorTime;
        }
        catch (InvalidOperationException)
        {
            return TimeSpan.Zero; // exited since the poll: the next poll sees the hang-up
        }
    }

    private bool Readable(TimeSpan timeout)
    {
        var fd = new PollFd { Fd = (int)pipe.SafePipeHandle.DangerousGetHandle(), Events = PollIn };
        int ready = poll(ref fd, 1, (int)timeout.TotalMilliseconds);
        if (ready < 0 && Marshal.GetLastPInvokeError() != Eintr)
            throw new IOException($"poll on the worker's output failed: errno {Marshal.GetLastPInvokeError()}");
        return ready > 0;
    }

    private const int Eintr = 4;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int poll(ref PollFd fds, nuint count, int timeoutMs);
}
