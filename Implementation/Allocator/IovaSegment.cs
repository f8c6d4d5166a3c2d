namespace Harness.Implementation;

/// <summary>What occupies a range of the allocator's pfn space.</summary>
public enum IovaSegment : byte
{
    /// <summary>A live allocation.</summary>
    Allocated,

    /// <summary>Reserved space not covered by an allocation.</summary>
    Reserved,

    /// <summary>Freed by the caller but parked in the rcache: still occupied, no longer findable or freeable.</summary>
    Cached,
}
