using Harness.Implementation;
using Xunit;

namespace Harness.Tests.Implementation;

/// <summary>
/// The B+tree against a sorted list, through enough random operations to split, merge, borrow
/// and grow several levels; every fit answer checked against brute force over the list's gaps.
/// </summary>
public sealed class RangeTreeStressTests
{
    private sealed class Naive
    {
        public readonly SortedList<ulong, ulong> Ranges = [];

        public bool Overlaps(ulong lo, ulong hi) => Ranges.Any(r => r.Key <= hi && r.Value >= lo);

        /// <summary>The free runs of [lo, hi], ascending.</summary>
        public IEnumerable<(ulong Lo, ulong Hi)> Gaps(ulong lo, ulong hi)
        {
            UInt128 cursor = lo;
            foreach (var (start, last) in Ranges)
            {
                if (last < lo || start > hi)
                    continue;
                if (start > cursor)
                    yield return ((ulong)cursor, start - 1);
                cursor = (UInt128)last + 1;
            }

            if (cursor <= hi)
                yield return ((ulong)cursor, hi);
        }

        public ulong? Fit(ulong lo, ulong hi, ulong size, bool aligned, bool highest)
        {
            UInt128 align = 1;
            while (aligned && align < size)
                align <<= 1;
            var gaps = Gaps(lo, hi).ToList();
            if (highest)
                gaps.Reverse();
            foreach (var (a, b) in gaps)
            {
                if ((UInt128)b - a + 1 < size)
                    continue;
                UInt128 p = highest ? ((UInt128)b - size + 1) / align * align : (a + align - 1) / align * align;
                if (p >= a && p + size - 1 <= b)
                    return (ulong)p;
            }

            return null;
        }
    }

    [Theory]
    [InlineData(0x10UL, 0x1fUL, 0UL)]
    [InlineData(0x20UL, 0x1fUL, 1UL)]
    public void An_empty_request_or_an_inverted_window_finds_nothing(ulong lo, ulong hi, ulong size)
    {
        var tree = new RangeTree<int>();
        tree.Insert(0x100, 0x1ff, 1);
        foreach (bool aligned in new[] { false, true })
        {
            Assert.False(tree.TryFindLowestFit(lo, hi, size, aligned, out _));
            Assert.False(tree.TryFindHighestFit(lo, hi, size, aligned, out _));
        }
    }

    [Theory]
    [InlineData(1, 6_000, 1UL << 20)]
    [InlineData(2, 6_000, 1UL << 14)]
    [InlineData(3, 4_000, ulong.MaxValue)]
    public void Agrees_with_a_sorted_list_through_random_operations(int seed, int operations, ulong space)
    {
        var random = new Random(seed);
        var tree = new RangeTree<int>();
        var naive = new Naive();
        ulong Address() => space == ulong.MaxValue && random.Next(4) == 0
            ? ulong.MaxValue - (ulong)random.Next(0, 1 << 16)
            : (ulong)random.NextInt64(0, (long)Math.Min(space, long.MaxValue));

        for (int op = 0; op < operations; op++)
        {
            int kind = random.Next(10);
            if (kind < 5 || naive.Ranges.Count < 50)
            {
                ulong start = Address();
                ulong last = start + (ulong)random.Next(0, 64);
                if (last < start || naive.Overlaps(start, last))
                    continue;
                tree.Insert(start, last, op);
                naive.Ranges.Add(start, last);
            }
            else if (kind < 8)
            {
                ulong victim = naive.Ranges.Keys[random.Next(naive.Ranges.Count)];
                Assert.True(tree.Remove(victim));
                naive.Ranges.Remove(victim);
            }
            else
            {
                ulong lo = Address(), hi = lo + (ulong)random.NextInt64(0, 1L << 40);
                hi = hi < lo ? ulong.MaxValue : hi;
                ulong size = (ulong)random.Next(1, 300);
                bool aligned = random.Next(2) == 0;
                Assert.Equal(naive.Fit(lo, hi, size, aligned, highest: true), tree.TryFindHighestFit(lo, hi, size, aligned, out ulong h) ? h : null);
                Assert.Equal(naive.Fit(lo, hi, size, aligned, highest: false), tree.TryFindLowestFit(lo, hi, size, aligned, out ulong l) ? l : null);
                ulong probe = Address();
                bool found = tree.FindContaining(probe, out ulong s, out ulong e, out _);
                var expected = naive.Ranges.Where(r => r.Key <= probe && r.Value >= probe).Select(r => (ulong?)r.Key).FirstOrDefault();
                Assert.Equal(expected, found ? s : null);
                var overlapping = naive.Ranges.Where(r => r.Key <= hi && r.Value >= lo).Select(r => (ulong?)r.Key).FirstOrDefault();
                Assert.Equal(overlapping, tree.FindFirstOverlapping(lo, hi, out s, out e, out _) ? s : null);
            }

            if (op % 500 == 0)
                tree.CheckInvariants();
        }

        tree.CheckInvariants();
        Assert.Equal(naive.Ranges.Select(r => (r.Key, r.Value)), tree.InOrder().Select(r => (r.Start, r.Last)));
        foreach (ulong start in naive.Ranges.Keys.ToList())
            Assert.True(tree.Remove(start));
        tree.CheckInvariants();
        Assert.Equal(0, tree.Count);
    }
}
