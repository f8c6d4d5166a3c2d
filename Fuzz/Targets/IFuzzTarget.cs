using Harness.Mutants;

namespace Harness.Fuzz;

/// <summary>One fuzz target: any byte string in; any exception out (a Divergence, usually) is a crash: a bug.</summary>
public interface IFuzzTarget
{
    void Run(ReadOnlySpan<byte> input);
}

/// <summary>
/// A target by name, with the longest input worth trying (the fuzzers are told, so no input is
/// wasted). <see cref="Create"/> runs only once the fuzzer's coverage map exists: instrumented
/// code executed earlier (a constructor in a static initializer, say) would write through an
/// unset map and kill the fork server. A target that can run a planted bug's subject says which.
/// </summary>
public sealed record FuzzTargetInfo(
    string Name, string Description, int MaxLength, Func<PlantedBug?, IFuzzTarget> Create, Func<PlantedBug, bool>? Reaches = null)
{
    public bool CanPlant(PlantedBug bug) => Reaches?.Invoke(bug) ?? false;
}
