using System.Text.Json.Serialization;
using Harness.Model;

namespace Harness.Properties;

/// <summary>
/// One end-to-end run: the GET_INFO layout, the profile whose allocator rules hold (ideal in files
/// recorded before profiles), and whether it is a deep run, which also maps and unmaps by the hundred.
/// </summary>
public sealed record DmaStackSetup(InfoLayout Layout, string Profile = "ideal", bool Deep = false)
{
    [JsonIgnore]
    public KernelProfile Kernel => KernelProfiles.Named(Profile);

    public override string ToString() => $"profile {Profile}, {Layout} GET_INFO{(Deep ? ", deep" : "")}";
}

/// <summary>A step of the end-to-end flow, applied to a <see cref="DmaStack"/>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "op")]
[JsonDerivedType(typeof(AttachPlatformOp), "attachPlatform")]
[JsonDerivedType(typeof(DetachGroupOp), "detach")]
[JsonDerivedType(typeof(RefreshOp), "refresh")]
[JsonDerivedType(typeof(MapNextOp), "mapNext")]
[JsonDerivedType(typeof(UnmapNthOp), "unmapNth")]
[JsonDerivedType(typeof(TranslateNthOp), "translateNth")]
[JsonDerivedType(typeof(DoorbellOp), "doorbell")]
public abstract record DmaStackOp : Op<DmaStack>
{
    /// <summary>A step whose layers broke the flow's promise fails the property here (on the model's side, that is the harness's own fault).</summary>
    protected static string Checked(DmaStep step) => step.Broken is null ? step.Outcome : throw new Divergence(step.Broken);
}

public sealed record AttachPlatformOp(int Platform, int GroupId) : DmaStackOp
{
    public static IReadOnlyList<ReferencePlatform> Platforms { get; } =
    [
        .. ReferencePlatform.All,
        new ReferencePlatform("device-32", ReferencePlatform.Bits(32), 0x1000 | 0x20_0000 | 0x4000_0000, [], MsiIsolated: true),
    ];

    private ReferencePlatform Chosen => Platforms[Platform % Platforms.Count];

    public override string Apply(DmaStack stack) => stack.Attach(Chosen.Group(GroupId)).ToString();

    public override IEnumerable<Op<DmaStack>> Shrink() => Platform > 0 ? [this with { Platform = 0 }] : [];

    public override string ToString() => $"AttachGroup({GroupId}: {Chosen.Name})";
}

public sealed record DetachGroupOp(int GroupId) : DmaStackOp
{
    public override string Apply(DmaStack stack) => stack.Detach(GroupId).ToString();

    public override string ToString() => $"DetachGroup({GroupId})";
}

public sealed record RefreshOp : DmaStackOp
{
    public override string Apply(DmaStack stack) => Checked(stack.Refresh());

    public override string ToString() => "GetInfo+parse+rebuild allocator";
}

/// <summary>
/// <see cref="Count"/> allocate-and-map steps of <see cref="Pages"/> pages each (more than one grows
/// the container's mapping tree by tens or hundreds in one call).
/// </summary>
public sealed record MapNextOp(ulong Pages, int Count = 1) : DmaStackOp
{
    public override string Apply(DmaStack stack)
    {
        if (Count == 1)
            return Checked(stack.MapNext(Pages));
        var answers = new AnswerRuns("iova");
        for (int i = 0; i < Count; i++)
        {
            int before = stack.Live.Count;
            string outcome = Checked(stack.MapNext(Pages));
            bool mapped = stack.Live.Count > before;
            answers.Add(mapped ? stack.Live[^1].Iova : 0, mapped ? null : outcome);
        }

        return answers.ToString();
    }

    public override IEnumerable<Op<DmaStack>> Shrink() =>
        Shrinks.Counts(Count).Select(count => this with { Count = count })
            .Concat(Shrinks.Positive(Pages).Select(pages => this with { Pages = pages }));

    public override string ToString() => Count == 1 ? $"Alloc+MapDma({Pages} pages)" : $"{Count} × Alloc+MapDma({Pages} pages)";
}

/// <summary>
/// Unmaps and frees the stack's mapping <see cref="Index"/> (modulo their number), and with
/// <see cref="Count"/> above one the mappings made after it too: neighbours in the address space,
/// since the stack allocates top-down, so their tree leaves drain downwards, or upwards
/// <see cref="FromLast"/> (the last of the run first), which makes a leaf borrow from the other side.
/// </summary>
public sealed record UnmapNthOp(int Index, int Count = 1, bool FromLast = false) : DmaStackOp
{
    public override string Apply(DmaStack stack)
    {
        if (Count == 1)
            return Checked(stack.UnmapNth(Index));
        var answers = new AnswerRuns("iova");
        for (int i = 0; i < Count && stack.Live.Count > 0; i++)
        {
            int nth = FromLast ? Index + Count - 1 - i : Index;
            answers.Add(stack.Live[nth % stack.Live.Count].Iova, null);
            Checked(stack.UnmapNth(nth));
        }

        return $"unmapped {answers}";
    }

    public override IEnumerable<Op<DmaStack>> Shrink() =>
        Shrinks.Counts(Count).Select(count => this with { Count = count })
            .Concat(FromLast ? [this with { FromLast = false }] : [])
            .Concat(Index > 0 ? [this with { Index = 0 }] : []);

    public override string ToString() =>
        Count == 1 ? $"UnmapDma+Free(mapping {Index})" : $"UnmapDma+Free(mappings {Index} to {Index + Count - 1}{(FromLast ? ", last first" : "")})";
}

public sealed record TranslateNthOp(int Index, ulong Offset) : DmaStackOp
{
    public override string Apply(DmaStack stack) => Checked(stack.TranslateNth(Index, Offset));

    public override IEnumerable<Op<DmaStack>> Shrink() => Offset > 0 ? [this with { Offset = 0 }] : [];

    public override string ToString() => $"Translate(mapping {Index} + 0x{Offset:x})";
}

public sealed record DoorbellOp(ulong Address) : DmaStackOp
{
    public override string Apply(DmaStack stack) => Checked(stack.Doorbell(Address));

    public override string ToString() => $"PrepareMsi(0x{Address:x})";
}
