using Harness.Implementation;
using Xunit;

namespace Harness.Tests.Implementation;

/// <summary>The exactness claim of <see cref="GapFit"/>, checked against brute force.</summary>
public sealed class GapFitTests
{
    private static bool BruteForceFits(ulong a, ulong b, ulong size, ulong align)
    {
        for (ulong p = (a + align - 1) / align * align; p <= b; p += align)
        {
            if (b - p >= size - 1)
                return true;
        }

        return false;
    }

    [Fact]
    public void Admits_exactly_the_gaps_that_hold_a_size_aligned_request()
    {
        for (ulong a = 0; a < 80; a++)
        {
            for (ulong b = a; b < 160; b++)
            {
                var fit = GapFit.Of(a, b);
                for (ulong size = 1; size <= 70; size++)
                {
                    int shift = size <= 1 ? 0 : 64 - System.Numerics.BitOperations.LeadingZeroCount(size - 1);
                    Assert.True(
                        BruteForceFits(a, b, size, 1UL << shift) == fit.Admits(size, shift),
                        $"gap [{a}, {b}] size {size}: {fit}");
                }
            }
        }
    }

    [Fact]
    public void The_best_of_several_gaps_admits_what_any_of_them_admits()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 2000; trial++)
        {
            var gaps = Enumerable.Range(0, random.Next(1, 5)).Select(_ =>
            {
                ulong a = (ulong)random.Next(0, 200);
                return (A: a, B: a + (ulong)random.Next(0, 90));
            }).ToList();
            var best = gaps.Select(g => GapFit.Of(g.A, g.B)).Aggregate(GapFit.None, GapFit.Best);
            ulong size = (ulong)random.Next(1, 100);
            int shift = size <= 1 ? 0 : 64 - System.Numerics.BitOperations.LeadingZeroCount(size - 1);
            Assert.Equal(gaps.Any(g => BruteForceFits(g.A, g.B, size, 1UL << shift)), best.Admits(size, shift));
        }
    }

    [Fact]
    public void Edges_of_the_u64_space()
    {
        Assert.Equal(65, GapFit.Of(0, ulong.MaxValue).Rank);
        Assert.True(GapFit.Of(0, ulong.MaxValue - 1).Admits((1UL << 63) + 1, 64));
        Assert.False(GapFit.Of(1, ulong.MaxValue).Admits((1UL << 63) + 1, 64));
        Assert.True(GapFit.Of(ulong.MaxValue, ulong.MaxValue).Admits(1, 0));
        Assert.Equal(GapFit.None, GapFit.Between(5, 6));
    }
}
