using System.Text.Json.Serialization;

namespace Harness.Properties;

/// <summary>A call on iova.c's fast path (docs/SPEC.md §5, "The rcache under Linux"). Bursts are one call each, so a counterexample that needs a full magazine stays short.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "op")]
[JsonDerivedType(typeof(AllocFastOp), "allocFast")]
[JsonDerivedType(typeof(FreeFastOp), "freeFast")]
[JsonDerivedType(typeof(AllocBurstOp), "allocBurst")]
[JsonDerivedType(typeof(FreeBurstOp), "freeBurst")]
[JsonDerivedType(typeof(FastReserveOp), "reserve")]
public abstract record FastPathOp : Op<FastPathSession>;

public sealed record AllocFastOp(ulong Size, ulong LimitPfn, bool FlushRcache) : FastPathOp
{
    public override string Apply(FastPathSession session) => session.AllocFast(Size, LimitPfn, FlushRcache);

    public override IEnumerable<Op<FastPathSession>> Shrink() =>
        (FlushRcache ? Enumerable.Empty<Op<FastPathSession>>() : [this with { FlushRcache = true }])
            .Concat(Shrinks.Positive(Size).Select(size => this with { Size = size }))
            .Concat(Shrinks.U64(LimitPfn).Select(limit => this with { LimitPfn = limit }));

    public override string ToString() => $"AllocFast(size 0x{Size:x}, limit 0x{LimitPfn:x}{(FlushRcache ? "" : ", no flush")})";
}

/// <summary>Frees the held range at <see cref="Index"/> (modulo how many are held).</summary>
public sealed record FreeFastOp(int Index) : FastPathOp
{
    public override string Apply(FastPathSession session) => session.FreeFast(Index);

    public override IEnumerable<Op<FastPathSession>> Shrink() => Index > 0 ? [this with { Index = 0 }, this with { Index = Index / 2 }] : [];

    public override string ToString() => $"FreeFast(held #{Index})";
}

/// <summary><see cref="Count"/> alloc_iova_fast calls of one size; the answers in order, each run of pfns an equal step apart (or of one errno) told once.</summary>
public sealed record AllocBurstOp(int Count, ulong Size, ulong LimitPfn) : FastPathOp
{
    public override string Apply(FastPathSession session)
    {
        var answers = new AnswerRuns();
        for (int i = 0; i < Count; i++)
        {
            string answer = session.AllocFast(Size, LimitPfn, flushRcache: true);
            bool ok = answer.StartsWith("Ok", StringComparison.Ordinal);
            answers.Add(ok ? session.Held[^1].Pfn : 0, ok ? null : answer);
        }

        return answers.ToString();
    }

    public override IEnumerable<Op<FastPathSession>> Shrink() =>
        Shrinks.Counts(Count).Select(count => (Op<FastPathSession>)(this with { Count = count }))
            .Concat(Shrinks.Positive(Size).Select(size => this with { Size = size }))
            .Concat(Shrinks.U64(LimitPfn).Select(limit => this with { LimitPfn = limit }));

    public override string ToString() => $"AllocBurst({Count} × size 0x{Size:x}, limit 0x{LimitPfn:x})";
}

/// <summary>Frees the <see cref="Count"/> newest held ranges, newest first.</summary>
public sealed record FreeBurstOp(int Count) : FastPathOp
{
    /// <summary>More than any case holds: everything.</summary>
    public const int All = 100_000;

    public override string Apply(FastPathSession session)
    {
        int freed = 0;
        for (; freed < Count && session.Held.Count > 0; freed++)
            session.FreeFast(session.Held.Count - 1);
        return $"freed {freed}";
    }

    public override IEnumerable<Op<FastPathSession>> Shrink() => Shrinks.Counts(Count).Select(count => this with { Count = count });

    public override string ToString() => $"FreeBurst({Count})";
}

/// <summary>reserve_iova, as the DMA API reserves its windows.</summary>
public sealed record FastReserveOp(ulong Lo, ulong Hi) : FastPathOp
{
    public override string Apply(FastPathSession session) => session.Allocator.Reserve(Lo, Hi).ToString();

    public override IEnumerable<Op<FastPathSession>> Shrink() =>
        Shrinks.Range(Lo, Hi).Select(r => new FastReserveOp(r.Lo, r.Hi));

    public override string ToString() => $"Reserve(0x{Lo:x}, 0x{Hi:x})";
}
