using Harness.Model;

namespace Harness.Bench.Allocator;

/// <summary>How one benchmark step exercises the allocator.</summary>
public enum Step
{
    /// <summary>Allocate a random size (size-aligned), then free that allocation.</summary>
    Pair,

    /// <summary>Allocate a random size, then free a random older allocation: the live set keeps moving.</summary>
    Churn,
}

/// <summary>
/// An allocator holding a fixed number of live ranges of random sizes 1–1024 (size-aligned),
/// churned once through before timing so free space is scattered (or, with
/// <c>scatterByFreeing</c>, twice as many allocated and a random half freed: iova.c's walk makes a
/// churn through 10^6 ranges take tens of minutes), plus precomputed sizes and victims so the
/// timed loop only calls the allocator.
/// </summary>
public sealed class AllocFreeSteps
{
    public const int StepsPerInvoke = 1024;
    private const ulong Limit = (1UL << 40) - 1;

    private readonly IIovaAllocator allocator;
    private readonly ulong[] live;
    private readonly ulong[] sizes;
    private readonly int[] victims;
    private int next;

    public AllocFreeSteps(IIovaAllocator allocator, int liveRanges, bool scatterByFreeing = false)
    {
        var random = new Random(Workload.Seed);
        this.allocator = allocator;
        live = scatterByFreeing
            ? Workload.FreeRandomHalf(allocator, Workload.Populate(allocator, 2 * liveRanges, Limit, random), random)
            : Workload.Populate(allocator, liveRanges, Limit, random);
        sizes = Workload.Sizes(StepsPerInvoke * 16, random);
        victims = Enumerable.Range(0, sizes.Length).Select(_ => random.Next(liveRanges)).ToArray();
        if (!scatterByFreeing)
        {
            for (int i = 0; i < liveRanges; i += StepsPerInvoke)
                Churn();
        }
    }

    public void Run(Step step)
    {
        if (step == Step.Pair)
            Pairs();
        else
            Churn();
    }

    private void Pairs()
    {
        for (int i = 0; i < StepsPerInvoke; i++, next = (next + 1) % sizes.Length)
        {
            allocator.Alloc(sizes[next], Limit, true, out ulong pfn);
            allocator.Free(pfn);
        }
    }

    private void Churn()
    {
        for (int i = 0; i < StepsPerInvoke; i++, next = (next + 1) % sizes.Length)
        {
            allocator.Alloc(sizes[next], Limit, true, out ulong pfn);
            ref ulong victim = ref live[victims[next]];
            allocator.Free(victim);
            victim = pfn;
        }
    }
}
