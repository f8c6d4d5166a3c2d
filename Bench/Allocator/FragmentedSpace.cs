using Harness.Model;

namespace Harness.Bench.Allocator;

/// <summary>
/// The pattern that defeats cursor allocators: every other pfn reserved just below the limit
/// (n one-pfn holes) and the only room for a 2-pfn aligned request far below them. Linux's walk
/// from the cached node visits every hole; a gap-annotated tree skips them.
/// </summary>
public static class FragmentedSpace
{
    public const ulong Limit = (1UL << 32) - 1;

    public static IIovaAllocator Build(IIovaAllocator allocator, int holes)
    {
        ulong top = Limit - (2 * (ulong)holes);
        allocator.Reserve(0x1000, top);
        for (ulong pfn = top + 1; pfn <= Limit; pfn += 2)
            allocator.Reserve(pfn, pfn);
        return allocator;
    }

    public static void AllocFreeBelowHoles(IIovaAllocator allocator)
    {
        allocator.Alloc(2, Limit, true, out ulong pfn);
        allocator.Free(pfn);
    }
}
