using FsCheck;
using FsCheck.Fluent;

namespace Harness.Properties;

/// <summary>
/// Runs of neighbouring entries (allocations, mappings) to drain from a tree at once, by index into
/// the <c>count</c> live ones, ascending: a few, tens, hundreds or to the end, often near either
/// end, where a tree grows and its fullest leaves sit. A notch takes five to seven entries
/// starting 0 or 12 to 17 from an end: on a tree grown from that end (or from the other) it
/// empties a leaf beside a full one, which must borrow rather than merge (the tree's leaves hold
/// 16 and refill below 4).
/// </summary>
public static class Neighbours
{
    public static Gen<(int First, int Last)> Span(int count)
    {
        var spread =
            from first in Gen.Frequency([(2, Gen.Choose(0, count - 1)), (1, Gen.Choose(0, Math.Min(count - 1, 40))), (1, Gen.Choose(Math.Max(0, count - 41), count - 1))])
            from span in Gen.Frequency([(4, Gen.Choose(2, 6)), (4, Gen.Choose(4, 24)), (2, Gen.Choose(24, 200)), (1, Gen.Constant(count))])
            select (first, Math.Min(count - 1, first + span));
        var notch =
            from fromTop in Gen.Elements(false, true)
            from skip in Gen.Frequency([(2, Gen.Constant(0)), (1, Gen.Choose(12, 17))])
            from length in Gen.Choose(5, 7)
            let first = Math.Min(count - 1, fromTop ? Math.Max(0, count - skip - length) : skip)
            select (first, Math.Min(count - 1, first + length - 1));
        return Gen.Frequency([(3, spread), (2, notch)]);
    }
}
