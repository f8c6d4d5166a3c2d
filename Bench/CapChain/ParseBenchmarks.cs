using BenchmarkDotNet.Attributes;
using Harness.Implementation;
using Harness.Model;

namespace Harness.Bench.CapChain;

/// <summary>
/// Parse a v6.6 GET_INFO buffer (MIGRATION, DMA_AVAIL, IOVA_RANGE) and read every range: the
/// hardened zero-allocation reader against the model's reference parser. <see cref="Walked"/>
/// parses the same chain with MIGRATION's version bumped (an unknown capability, skipped), which
/// no kernel writes, so header prediction misses and the reader walks the chain.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class ParseBenchmarks
{
    private byte[] buffer = [];
    private byte[] unpredicted = [];

    [Params(1, 4, 16, 256)]
    public int Ranges { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var ranges = Enumerable.Range(0, Ranges).Select(i => IovaRange.FromSize(((ulong)i << 32) + 0x1000, 0x1000_0000)).ToArray();
        buffer = new byte[88 + (16 * Ranges)];
        BitConverter.TryWriteBytes(buffer, (uint)buffer.Length);
        new ModelInfoWriter().Write(buffer, InfoLayout.Type1V66, 0x40201000, 65535, ranges);
        unpredicted = (byte[])buffer.Clone();
        unpredicted[Type1Info.HeaderSize + CapHeader.VersionOffset]++;
    }

    [Benchmark(Baseline = true)]
    public ulong Model()
    {
        new ModelCapChainParser().TryParse(buffer, out var info, out _);
        ulong sum = 0;
        foreach (var range in info!.IovaRanges!)
            sum += range.Last - range.Start;
        return sum;
    }

    [Benchmark]
    public ulong Implementation() => SumOfRanges(buffer);

    [Benchmark]
    public ulong Walked() => SumOfRanges(unpredicted);

    private static ulong SumOfRanges(byte[] bytes)
    {
        CapChainReader.TryParse(bytes, out var info, out _);
        ulong sum = 0;
        foreach (var range in info.IovaRanges)
            sum += range.Last - range.Start;
        return sum;
    }
}
