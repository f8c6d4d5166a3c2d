namespace Harness.Fuzz;

/// <summary>One fuzz target: any byte string in; any exception out (a Divergence, usually) is a crash: a bug.</summary>
public interface IFuzzTarget
{
    void Run(ReadOnlySpan<byte> input);
}

/// <summary>
/// A target by name. <see cref="Create"/> runs only once the fuzzer's coverage map exists:
/// instrumented code executed earlier (a constructor in a static initializer, say) would write
/// through an unset map and kill the fork server.
/// </summary>
public sealed record FuzzTargetInfo(string Name, string Description, Func<IFuzzTarget> Create);
