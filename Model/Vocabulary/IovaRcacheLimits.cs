namespace Harness.Model;

/// <summary>iova.c's rcache bounds (IOVA_RANGE_CACHE_MAX_SIZE 6): ranges of up to 1 &lt;&lt; (6 − 1) pfns are cached, smaller ones rounded up to a power of two.</summary>
public static class IovaRcacheLimits
{
    public const ulong MaxCachedSize = 32;
}
