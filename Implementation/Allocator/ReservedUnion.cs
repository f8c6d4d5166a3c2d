using Harness.Model;

namespace Harness.Implementation;

/// <summary>
/// The union of every <c>Reserve</c> so far, as sorted, disjoint, non-touching ranges. The tree
/// only holds the reserved parts not under an allocation; this union says what a freed
/// allocation gives back to the reserved space.
/// </summary>
internal sealed class ReservedUnion
{
    private readonly List<IovaRange> ranges = [];

    public int Count => ranges.Count;

    public IovaRange this[int index] => ranges[index];

    public void Add(ulong lo, ulong hi)
    {
        int first = lo == 0 ? 0 : FirstEndingAtOrAfter(lo - 1);
        int end = first;
        while (end < ranges.Count && (hi == ulong.MaxValue || ranges[end].Start <= hi + 1))
        {
            lo = Math.Min(lo, ranges[end].Start);
            hi = Math.Max(hi, ranges[end].Last);
            end++;
        }

        ranges.RemoveRange(first, end - first);
        ranges.Insert(first, new IovaRange(lo, hi));
    }

    public bool Overlaps(ulong lo, ulong hi)
    {
        int i = FirstEndingAtOrAfter(lo);
        return i < ranges.Count && ranges[i].Start <= hi;
    }

    /// <summary>The index of the first range whose last address is at least <paramref name="address"/>.</summary>
    public int FirstEndingAtOrAfter(ulong address)
    {
        int low = 0, high = ranges.Count;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (ranges[mid].Last < address)
                low = mid + 1;
            else
                high = mid;
        }

        return low;
    }

    public void CheckInvariants()
    {
        for (int i = 1; i < ranges.Count; i++)
        {
            if (!ranges[i - 1].IsApartBefore(ranges[i]))
                throw new InvariantViolation($"reserved union ranges {ranges[i - 1]} and {ranges[i]} overlap or touch");
        }
    }
}
