using BenchmarkDotNet.Attributes;
using Harness.Implementation;
using Harness.Model;

namespace Harness.Bench.CapChain;

/// <summary>
/// Parse a v6.6 GET_INFO buffer (MIGRATION, DMA_AVAIL, IOVA_RANGE) and read every range: the
/// hardened zero-allocation reader against the model's reference parser.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class ParseBenchmarks
{
    private byte[] buffer = [];

    [Params(1, 4, 16, 256)]
    public int Ranges { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var ranges = Enumerable.Range(0, Ranges).Select(i => IovaRange.FromSize(((ulong)i << 32) + 0x1000, 0x1000_0000)).ToArray();
        buffer = new byte[88 + (16 * Ranges)];
        BitConverter.TryWriteBytes(buffer, (uint)buffer.Length);
        new ModelInfoWriter().Write(buffer, InfoLayout.Type1V66, 0x40201000, 65535, ranges);
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
    public ulong Implementation()
    {
        CapChainReader.TryParse(buffer, out var info, out _);
        ulong sum = 0;
        foreach (var range in info.IovaRanges)
            sum += range.Last - range.Start;
        return sum;
    }
}
