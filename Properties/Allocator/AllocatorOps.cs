using System.Text.Json.Serialization;
using Harness.Model;

namespace Harness.Properties;

/// <summary>
/// The parameters of one allocator run: the domain's geometry, the profile whose rules hold
/// (files recorded before profiles existed hold the ideal one), and whether the run is a deep one,
/// whose calls grow the tree by tens and hundreds of ranges at once and drain whole regions of it
/// (where leaves merge and borrow, and magazines reach the depot).
/// </summary>
public sealed record AllocatorSetup(ulong Granule, ulong StartPfn, string Profile = "ideal", bool Deep = false)
{
    [JsonIgnore]
    public IovaDomain Domain => new(Granule, StartPfn);

    [JsonIgnore]
    public KernelProfile Kernel => KernelProfiles.Named(Profile);

    public override string ToString() => $"profile {Profile}, domain granule 0x{Granule:x}, start pfn 0x{StartPfn:x}{(Deep ? ", deep" : "")}";
}

/// <summary>An allocator call (docs/SPEC.md §5). Pfns throughout.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "op")]
[JsonDerivedType(typeof(AllocOp), "alloc")]
[JsonDerivedType(typeof(ReserveOp), "reserve")]
[JsonDerivedType(typeof(FreeOp), "free")]
[JsonDerivedType(typeof(FindOp), "find")]
[JsonDerivedType(typeof(FreeNthOp), "freeNth")]
[JsonDerivedType(typeof(AllocManyOp), "allocMany")]
[JsonDerivedType(typeof(FreeRangeOp), "freeRange")]
public abstract record AllocatorOp : Op<IIovaAllocator>;

public sealed record AllocOp(ulong Size, ulong LimitPfn, bool SizeAligned) : AllocatorOp
{
    public override string Apply(IIovaAllocator allocator)
    {
        var errno = allocator.Alloc(Size, LimitPfn, SizeAligned, out ulong pfn);
        return errno == Errno.Ok ? $"Ok pfn 0x{pfn:x}" : errno.ToString();
    }

    public override IEnumerable<Op<IIovaAllocator>> Shrink() =>
        (SizeAligned ? [this with { SizeAligned = false }] : Enumerable.Empty<Op<IIovaAllocator>>())
            .Concat(Shrinks.Positive(Size).Select(size => this with { Size = size }))
            .Concat(Shrinks.U64(LimitPfn).Select(limit => this with { LimitPfn = limit }));

    public override string ToString() => $"Alloc(size 0x{Size:x}, limit 0x{LimitPfn:x}{(SizeAligned ? ", size-aligned" : "")})";
}

public sealed record ReserveOp(ulong Lo, ulong Hi) : AllocatorOp
{
    public override string Apply(IIovaAllocator allocator) => allocator.Reserve(Lo, Hi).ToString();

    public override IEnumerable<Op<IIovaAllocator>> Shrink() =>
        Shrinks.Range(Lo, Hi).Select(r => new ReserveOp(r.Lo, r.Hi));

    public override string ToString() => $"Reserve(0x{Lo:x}, 0x{Hi:x})";
}

public sealed record FreeOp(ulong Pfn) : AllocatorOp
{
    public override string Apply(IIovaAllocator allocator) => allocator.Free(Pfn).ToString();

    public override IEnumerable<Op<IIovaAllocator>> Shrink() => Shrinks.U64(Pfn).Select(pfn => this with { Pfn = pfn });

    public override string ToString() => $"Free(0x{Pfn:x})";
}

public sealed record FindOp(ulong Pfn) : AllocatorOp
{
    public override string Apply(IIovaAllocator allocator) =>
        allocator.Find(Pfn, out var allocation) ? $"found {allocation}" : "none";

    public override IEnumerable<Op<IIovaAllocator>> Shrink() => Shrinks.U64(Pfn).Select(pfn => this with { Pfn = pfn });

    public override string ToString() => $"Find(0x{Pfn:x})";
}

/// <summary>Frees the <see cref="Index"/>-th live allocation (ascending) of whichever allocator it is applied to.</summary>
public sealed record FreeNthOp(int Index) : AllocatorOp
{
    public override string Apply(IIovaAllocator allocator)
    {
        var live = allocator.Allocations.ToList();
        return live.Count == 0 ? "nothing to free" : allocator.Free(live[Index % live.Count].Start).ToString();
    }

    public override IEnumerable<Op<IIovaAllocator>> Shrink() =>
        Index > 0 ? [this with { Index = 0 }, this with { Index = Index / 2 }] : [];

    public override string ToString() => $"FreeNth({Index})";
}

/// <summary>
/// <see cref="Count"/> allocations of one size in one call, so a tree grows by hundreds of leaves
/// (and a size class fills its magazines) while a counterexample stays a few calls long.
/// </summary>
public sealed record AllocManyOp(int Count, ulong Size, ulong LimitPfn, bool SizeAligned) : AllocatorOp
{
    public override string Apply(IIovaAllocator allocator)
    {
        var answers = new AnswerRuns();
        for (int i = 0; i < Count; i++)
        {
            var errno = allocator.Alloc(Size, LimitPfn, SizeAligned, out ulong pfn);
            answers.Add(pfn, errno == Errno.Ok ? null : errno.ToString());
        }

        return answers.ToString();
    }

    public override IEnumerable<Op<IIovaAllocator>> Shrink() =>
        Shrinks.Counts(Count).Select(count => (Op<IIovaAllocator>)(this with { Count = count }))
            .Concat(SizeAligned ? [this with { SizeAligned = false }] : [])
            .Concat(Shrinks.Positive(Size).Select(size => this with { Size = size }))
            .Concat(Shrinks.U64(LimitPfn).Select(limit => this with { LimitPfn = limit }));

    public override string ToString() => $"AllocMany({Count} × size 0x{Size:x}, limit 0x{LimitPfn:x}{(SizeAligned ? ", size-aligned" : "")})";
}

/// <summary>
/// Frees every live allocation of whichever allocator it is applied to that starts in
/// <c>[Lo, Hi]</c>, lowest first: a drain of one region of the tree, where leaves merge and borrow.
/// </summary>
public sealed record FreeRangeOp(ulong Lo, ulong Hi) : AllocatorOp
{
    public override string Apply(IIovaAllocator allocator)
    {
        var victims = allocator.Allocations.Where(a => a.Start >= Lo && a.Start <= Hi).ToList();
        var failures = victims.Select(a => allocator.Free(a.Start)).Where(e => e != Errno.Ok).ToList();
        return $"freed {victims.Count - failures.Count}" + (failures.Count == 0 ? "" : $", {string.Join(", ", failures)}");
    }

    public override IEnumerable<Op<IIovaAllocator>> Shrink() =>
        Shrinks.Range(Lo, Hi).Select(r => new FreeRangeOp(r.Lo, r.Hi));

    public override string ToString() => $"FreeRange(0x{Lo:x}, 0x{Hi:x})";
}
