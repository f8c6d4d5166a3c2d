using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Harness.Native.Isolation;

namespace Harness.Native;

/// <summary>
/// What a library's harness_impl_describe() returned, read in this process (the library loaded
/// here) or by a worker (the library never loaded here, so one that crashes as it loads or
/// describes itself cannot take the harness down). The function tables are only ever called when
/// read in this process; from a worker they say which functions are there.
/// </summary>
internal sealed record NativeDescriptor(
    uint AbiVersion,
    string? Name,
    string? Profile,
    NativeAbi.IovaOps? TopDown,
    NativeAbi.IovaOps? LowestFit,
    NativeAbi.ResvOps? Resv,
    NativeAbi.CapChainOps? CapChain,
    NativeAbi.Type1Ops? Type1,
    NativeAbi.PgtableOps? Pgtable,
    NativeAbi.IovaFastOps? Fast,
    NativeAbi.Type1GroupsOps? Type1Groups)
{
    private static readonly TimeSpan DescribeLimit = TimeSpan.FromSeconds(30);

    /// <exception cref="NativeImplementationException">The library does not load or describe itself.</exception>
    public static unsafe NativeDescriptor InProcess(string path, string full)
    {
        if (!NativeLibrary.TryLoad(full, out var handle))
            throw new NativeImplementationException($"{path}: not a shared library this process can load (wrong architecture, or a missing dependency: try ldd)");
        if (!NativeLibrary.TryGetExport(handle, NativeAbi.Describe, out var describe))
            throw NoDescribe(path);
        var impl = ((delegate* unmanaged<NativeAbi.Impl*>)describe)();
        if (impl is null)
            throw DescribedNull(path);
        uint version = impl->AbiVersion;
        return new NativeDescriptor(
            version,
            Text(impl->Name),
            Text(impl->Profile),
            Copy(impl->IovaTopDown),
            Copy(impl->IovaLowestFit),
            version >= 2 ? Copy(impl->Resv) : null,
            version >= 2 ? Copy(impl->CapChain) : null,
            version >= 2 ? Copy(impl->Type1) : null,
            version >= 3 ? Copy(impl->Pgtable) : null,
            version >= 3 ? Copy(impl->IovaFast) : null,
            version >= 4 ? Copy(impl->Type1Groups) : null);
    }

    /// <summary>The descriptor as native/isolation/harness_worker.c's <c>describe</c> writes it.</summary>
    /// <exception cref="NativeImplementationException">The library does not load or describe itself, or the worker crashed or hung doing it.</exception>
    public static NativeDescriptor FromWorker(string path, string full)
    {
        var start = new ProcessStartInfo(Workers.Program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(full);
        start.ArgumentList.Add("describe");
        using var process = Process.Start(start) ?? throw new NativeImplementationException($"{path}: could not start {Workers.Program}");
        var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(DescribeLimit))
        {
            process.Kill();
            throw new NativeImplementationException($"{path}: loading it or calling {NativeAbi.Describe}() hung ({DescribeLimit.TotalSeconds:0} s)");
        }

        copy.Wait();
        string firstError = error.Result.Split('\n')[0].Trim();
        return process.ExitCode switch
        {
            0 => Parse(path, output.ToArray()),
            6 => throw new NativeImplementationException($"{path}: not a shared library that can be loaded ({firstError})"),
            4 => throw NoDescribe(path),
            5 => throw DescribedNull(path),
            > 128 => throw new NativeImplementationException($"{path}: crashed with signal {process.ExitCode - 128} while loading or in {NativeAbi.Describe}()"),
            _ => throw new NativeImplementationException($"{path}: the worker that loads it exited with status {process.ExitCode}"),
        };
    }

    private static NativeDescriptor Parse(string path, byte[] bytes)
    {
        var reader = new SpanReader(bytes, path);
        uint version = reader.Read<uint>();
        return new NativeDescriptor(
            version,
            TopDown: reader.Surface<NativeAbi.IovaOps>(),
            LowestFit: reader.Surface<NativeAbi.IovaOps>(),
            Resv: reader.Surface<NativeAbi.ResvOps>(),
            CapChain: reader.Surface<NativeAbi.CapChainOps>(),
            Type1: reader.Surface<NativeAbi.Type1Ops>(),
            Pgtable: reader.Surface<NativeAbi.PgtableOps>(),
            Fast: reader.Surface<NativeAbi.IovaFastOps>(),
            Type1Groups: reader.Surface<NativeAbi.Type1GroupsOps>(),
            Name: reader.Text(),
            Profile: reader.Text());
    }

    private ref struct SpanReader(ReadOnlySpan<byte> bytes, string path)
    {
        private ReadOnlySpan<byte> rest = bytes;

        public T Read<T>()
            where T : unmanaged
        {
            int size = Marshal.SizeOf<T>();
            if (rest.Length < size)
                throw new NativeImplementationException($"{path}: the worker's description of it is cut short");
            var value = MemoryMarshal.Read<T>(rest);
            rest = rest[size..];
            return value;
        }

        public T? Surface<T>()
            where T : unmanaged
        {
            bool present = Read<uint>() != 0;
            var table = Read<T>();
            return present ? table : null;
        }

        public string? Text()
        {
            uint length = Read<uint>();
            if (length == uint.MaxValue)
                return null;
            if (length > rest.Length)
                throw new NativeImplementationException($"{path}: the worker's description of it is cut short");
            string text = Encoding.UTF8.GetString(rest[..(int)length]);
            rest = rest[(int)length..];
            return text;
        }
    }

    private static NativeImplementationException NoDescribe(string path) => new($"{path}: exports no {NativeAbi.Describe}() (see native/harness_impl.h)");

    private static NativeImplementationException DescribedNull(string path) => new($"{path}: {NativeAbi.Describe}() returned NULL");

    private static unsafe T? Copy<T>(T* table)
        where T : unmanaged => table is null ? null : *table;

    private static unsafe string? Text(byte* text) => text is null ? null : Marshal.PtrToStringUTF8((nint)text);
}
