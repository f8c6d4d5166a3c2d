namespace Harness.Implementation;

/// <summary>struct iova_magazine: a fixed stack of freed pfns, all of one size class.</summary>
internal sealed class IovaMagazine
{
    public const int Capacity = 127;

    private readonly ulong[] pfns = new ulong[Capacity];

    public int Size { get; private set; }

    public bool IsEmpty => Size == 0;

    public bool IsFull => Size == Capacity;

    public ulong this[int index] => pfns[index];

    public void Push(ulong pfn) => pfns[Size++] = pfn;

    /// <summary>
    /// iova_magazine_pop: the topmost entry whose <paramref name="size"/> pfns lie in
    /// <c>[lowest, limit]</c> with the start aligned by <paramref name="alignMask"/>, swapped out with the top.
    /// </summary>
    public bool TryPop(ulong lowest, ulong limit, ulong size, ulong alignMask, out ulong pfn)
    {
        for (int i = Size - 1; i >= 0; i--)
        {
            ulong candidate = pfns[i];
            if (candidate >= lowest && candidate <= limit && limit - candidate >= size - 1 && (candidate & alignMask) == 0)
            {
                pfn = candidate;
                pfns[i] = pfns[--Size];
                return true;
            }
        }

        pfn = 0;
        return false;
    }

    public void Clear() => Size = 0;
}
