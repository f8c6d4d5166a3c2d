using Harness.Model;

namespace Harness.Properties;

/// <summary>
/// Holds an allocator whose answers may differ from the model's (one with an rcache) to what
/// docs/SPEC.md §5 still requires: every allocation valid (in bounds, aligned, free of every live
/// allocation and reservation) and the allocator complete (it fails only when no fit exists for
/// the footprint it allocates). It keeps its own record of the live and reserved ranges.
/// </summary>
public sealed class ValidityCheckedAllocator(IIovaAllocator inner, AllocPolicy policy, bool roundsSmallSizes) : IIovaAllocator, IInvariantChecked
{
    private readonly List<IovaRange> live = [];
    private readonly List<IovaRange> reserved = [];

    /// <summary><see cref="Shadow"/>, kept while nothing is freed (a burst of failures builds it once).</summary>
    private ModelIovaAllocator? shadow;

    public IovaDomain Domain => inner.Domain;

    public IEnumerable<IovaRange> Allocations => inner.Allocations;

    private ulong LowestPfn => policy.LowestPfn(Domain);

    private ulong Footprint(ulong size) => roundsSmallSizes && size <= IovaRcacheLimits.MaxCachedSize ? (ulong)ModelIovaAllocator.RoundupPowOfTwo(size) : size;

    public Errno Alloc(ulong size, ulong limitPfn, bool sizeAligned, out ulong pfn)
    {
        var result = inner.Alloc(size, limitPfn, sizeAligned, out pfn);
        if (result == Errno.Ok)
        {
            CheckValid(size, limitPfn, sizeAligned, pfn);
        }
        else if (result is Errno.ENOMEM or Errno.ENOSPC && size != 0)
        {
            if (Shadow().TryFindFit(Footprint(size), limitPfn, sizeAligned, out ulong free))
                throw new Divergence($"Alloc(0x{size:x}) failed with {result} although 0x{Footprint(size):x} pfns at 0x{free:x} are free");
            var noFit = policy.NoFit();
            if (result != noFit)
                throw new Divergence($"Alloc(0x{size:x}) found no room but failed with {result}, not {policy}'s {noFit}");
        }

        return result;
    }

    private void CheckValid(ulong size, ulong limitPfn, bool sizeAligned, ulong pfn)
    {
        if (!inner.Find(pfn, out var got) || got.Start != pfn)
            throw new Divergence($"allocated pfn 0x{pfn:x} is not findable as an allocation's start");
        if (got.Size != size && got.Size != Footprint(size))
            throw new Divergence($"Alloc(0x{size:x}) occupies {got}");
        if (got.Start < LowestPfn || got.Last > limitPfn)
            throw new Divergence($"allocation {got} lies outside [0x{LowestPfn:x}, 0x{limitPfn:x}]");
        if (sizeAligned && got.Start % ModelIovaAllocator.RoundupPowOfTwo(size) != 0)
            throw new Divergence($"size-aligned allocation {got} is not aligned");
        foreach (var used in live.Concat(reserved))
        {
            if (used.Overlaps(got))
                throw new Divergence($"allocation {got} overlaps {used}, which is not free");
        }

        live.Add(got);
        shadow?.Reserve(got.Start, got.Last);
    }

    /// <summary>A model allocator whose occupied space is exactly what this one has handed out or reserved.</summary>
    private ModelIovaAllocator Shadow()
    {
        if (shadow is null)
        {
            shadow = new ModelIovaAllocator(Domain, policy);
            foreach (var used in live.Concat(reserved))
                shadow.Reserve(used.Start, used.Last);
        }

        return shadow;
    }

    public Errno Reserve(ulong pfnLo, ulong pfnHi)
    {
        var result = inner.Reserve(pfnLo, pfnHi);
        var expected = pfnLo > pfnHi ? Errno.EINVAL : Errno.Ok;
        if (result != expected)
            throw new Divergence($"Reserve(0x{pfnLo:x}, 0x{pfnHi:x})", expected.ToString(), result.ToString());
        if (result == Errno.Ok)
        {
            reserved.Add(new IovaRange(pfnLo, pfnHi));
            shadow?.Reserve(pfnLo, pfnHi);
        }

        return result;
    }

    public Errno Free(ulong pfn)
    {
        var result = inner.Free(pfn);
        int index = live.FindIndex(a => a.Contains(pfn));
        var expected = index < 0 ? Errno.ENOENT : Errno.Ok;
        if (result != expected)
            throw new Divergence($"Free(0x{pfn:x})", expected.ToString(), result.ToString());
        if (index >= 0)
        {
            live.RemoveAt(index);
            shadow = null;
        }

        return result;
    }

    public bool Find(ulong pfn, out IovaRange allocation)
    {
        bool found = inner.Find(pfn, out allocation);
        var expected = live.FirstOrDefault(a => a.Contains(pfn));
        bool expectFound = live.Any(a => a.Contains(pfn));
        if (found != expectFound || (found && allocation != expected))
            throw new Divergence($"Find(0x{pfn:x})", expectFound ? expected.ToString() : "none", found ? allocation.ToString() : "none");
        return found;
    }

    public void CheckInvariants()
    {
        var expected = live.OrderBy(a => a.Start).ToList();
        var actual = inner.Allocations.ToList();
        if (!expected.SequenceEqual(actual))
            throw new Divergence($"live allocations [{string.Join(", ", actual)}] are not the [{string.Join(", ", expected)}] handed out");
        (inner as IInvariantChecked)?.CheckInvariants();
    }
}
