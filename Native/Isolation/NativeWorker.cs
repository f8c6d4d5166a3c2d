using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using Harness.Properties;

namespace Harness.Native.Isolation;

/// <summary>
/// One child process (native/isolation/harness_worker.c) running one surface of a library for one
/// thread of the harness: fixed-size requests and replies over its stdin and stdout, a request
/// followed by its payload (regions, a buffer) and a reply by what it announced. A reply
/// that <see cref="ChildOutput"/>'s watchdog gives up on kills it; a child that dies turns the
/// call into a <see cref="Divergence"/> naming the signal, and the next domain gets a fresh child.
/// </summary>
internal sealed class NativeWorker : IDisposable
{
    /// <summary>How long a child may take to start and load the library, on a loaded machine.</summary>
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(30);

    private readonly Process process;
    private readonly Stream input;
    private readonly ChildOutput output;
    private readonly byte[] request = new byte[Marshal.SizeOf<Request>()];
    private readonly byte[] reply = new byte[Marshal.SizeOf<Reply>()];

    /// <summary>Domains whose allocators were collected, destroyed before the next request (finalizers run on another thread).</summary>
    private readonly ConcurrentQueue<uint> dropped = new();

    public NativeWorker(string worker, string library, string surface)
    {
        var start = new ProcessStartInfo(worker) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(library);
        start.ArgumentList.Add(surface);
        process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {worker}");
        input = process.StandardInput.BaseStream;
        output = new ChildOutput(process, (PipeStream)process.StandardOutput.BaseStream);
        Read(new byte[4], Startup, Startup);
    }

    public bool Dead { get; private set; }

    [StructLayout(LayoutKind.Sequential)]
    public struct Request
    {
        public uint Op;
        public uint Handle;
        public ulong A;
        public ulong B;
        public ulong C;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Reply
    {
        public long Ret;
        public ulong X;
        public ulong Y;
    }

    public enum Op : uint
    {
        Create,
        Destroy,
        Alloc,
        Free,
        Reserve,
        Find,
        Allocations,
        ResvMerge,
        Parse,
        Type1Create,
        MapDma,
        UnmapDma,
        GetInfo,
        Mappings,
        PgtableCreate,
        MapPages,
        UnmapPages,
        IovaToPhys,
        AllocFast,
        FreeFast,
        AttachGroup,
        DetachGroup,
    }

    public void Drop(uint handle) => dropped.Enqueue(handle);

    public Reply Call(Op op, uint handle, ulong a = 0, ulong b = 0, ulong c = 0, ReadOnlySpan<byte> payload = default)
    {
        while (!Dead && dropped.TryDequeue(out uint old))
            Exchange(new Request { Op = (uint)Op.Destroy, Handle = old }, default);
        return Exchange(new Request { Op = (uint)op, Handle = handle, A = a, B = b, C = c }, payload);
    }

    /// <summary>What a reply announced after itself: ranges, regions, a parse's fields.</summary>
    public byte[] ReadMore(int bytes)
    {
        var buffer = new byte[bytes];
        Read(buffer);
        return buffer;
    }

    private Reply Exchange(Request call, ReadOnlySpan<byte> payload)
    {
        if (Dead)
            throw new Divergence("the implementation's process had already died");
        MemoryMarshal.Write(request, in call);
        try
        {
            input.Write(request);
            if (!payload.IsEmpty)
                input.Write(payload);
            input.Flush();
        }
        catch (IOException)
        {
            throw Died();
        }

        Read(reply);
        return MemoryMarshal.Read<Reply>(reply);
    }

    private void Read(byte[] buffer) => Read(buffer, ChildOutput.CpuLimit, ChildOutput.WallLimit);

    private void Read(byte[] buffer, TimeSpan cpuLimit, TimeSpan wallLimit)
    {
        if (output.TryRead(buffer, cpuLimit, wallLimit, out string? hang))
            return;
        if (hang is null)
            throw Died();
        Kill();
        throw new Divergence($"the implementation hung: {hang} (killed)");
    }

    private Divergence Died()
    {
        Dead = true;
        process.WaitForExit(ChildOutput.CpuLimit);
        int code = process.HasExited ? process.ExitCode : -1;
        return new Divergence(code > 128 ? $"the implementation crashed: {Signal(code - 128)}" : $"the implementation's process exited with status {code}");
    }

    private void Kill()
    {
        Dead = true;
        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static string Signal(int signal) => signal switch
    {
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        _ => $"signal {signal}",
    };

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }
}
