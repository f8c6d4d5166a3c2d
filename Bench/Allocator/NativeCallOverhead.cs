using BenchmarkDotNet.Attributes;
using Harness.Implementation;
using Harness.Model;

namespace Harness.Bench.Allocator;

/// <summary>
/// What a call through the native ABI costs: find_iova of a pfn in an empty domain, the kernel's
/// iova.c loaded into this process against the managed Linux allocator answering the same call.
/// The native figure is the call overhead plus a lookup that stops at the root.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class NativeCallOverhead
{
    private const int Calls = 1024;
    private IIovaAllocator kernel = null!;
    private IIovaAllocator managed = null!;

    [GlobalSetup]
    public void Setup()
    {
        var domain = new IovaDomain(0x1000, 1);
        kernel = KernelLibrary.Iova(domain);
        managed = new LinuxIovaAllocator(domain);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public int Managed() => Find(managed);

    [Benchmark(OperationsPerInvoke = Calls)]
    public int Native() => Find(kernel);

    private static int Find(IIovaAllocator allocator)
    {
        int found = 0;
        for (ulong pfn = 0; pfn < Calls; pfn++)
            found += allocator.Find(pfn, out _) ? 1 : 0;
        return found;
    }
}
