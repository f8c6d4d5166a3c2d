namespace Harness.Fuzz;

/// <summary>
/// <c>ops</c>: bytes decoded into a setup and a sequence of ABI calls on one surface (allocator,
/// page table, container, the end-to-end stack), run on the implementation and the model side
/// by side; a divergence or a broken invariant is a <see cref="FuzzFinding"/>.
/// </summary>
public sealed class OpsTarget(IReadOnlyList<IOpsSurface> surfaces) : IFuzzTarget
{
    public OpsTarget()
        : this(OpsSurfaces.Create())
    {
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        var bytes = new OpBytes(input.ToArray());
        var surface = surfaces[bytes.Surface(surfaces.Count)];
        if (surface.Run(bytes) is { } counterexample)
            throw new FuzzFinding(counterexample, surface.Shrink);
    }

    /// <summary>The surface, setup and calls an input stands for, with the model's answers.</summary>
    public IReadOnlyList<string> Describe(ReadOnlySpan<byte> input)
    {
        var bytes = new OpBytes(input.ToArray());
        return surfaces[bytes.Surface(surfaces.Count)].Describe(bytes);
    }
}
