using Harness.Model;

namespace Harness.Bench;

/// <summary>Deterministic inputs, generated before a benchmark runs so the timed loop only calls the code under test.</summary>
public static class Workload
{
    public const int Seed = 20161021;

    /// <summary>Sizes 1–1024 granules, uniformly.</summary>
    public static ulong[] Sizes(int count, Random random) =>
        Enumerable.Range(0, count).Select(_ => (ulong)random.Next(1, 1025)).ToArray();

    /// <summary>
    /// Fills <paramref name="allocator"/> with <paramref name="live"/> size-aligned allocations of
    /// random sizes below <paramref name="limit"/>; returns their pfns.
    /// </summary>
    public static ulong[] Populate(IIovaAllocator allocator, int live, ulong limit, Random random)
    {
        var pfns = new ulong[live];
        foreach (var (size, i) in Sizes(live, random).Select((s, i) => (s, i)))
        {
            if (allocator.Alloc(size, limit, true, out pfns[i]) != Errno.Ok)
                throw new InvalidOperationException($"workload setup ran out of space after {i} allocations");
        }

        return pfns;
    }

    /// <summary>Frees a random half of <paramref name="pfns"/>; returns the other half.</summary>
    public static ulong[] FreeRandomHalf(IIovaAllocator allocator, ulong[] pfns, Random random)
    {
        var shuffled = pfns.OrderBy(_ => random.Next()).ToArray();
        foreach (ulong pfn in shuffled.Take(pfns.Length / 2))
            allocator.Free(pfn);
        return shuffled[(pfns.Length / 2)..];
    }
}
