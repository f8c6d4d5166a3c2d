using Harness.Native;
using Harness.Properties;

namespace Harness.Fuzz;

/// <summary>
/// <c>capchain --native LIB</c>: a GET_INFO buffer through a native library's parser and the
/// model's reference parser (<see cref="ParserAgreement.CheckSummary"/>). The library runs in a
/// worker process, as <c>check</c> runs it: the fuzz process is AFL++'s persistent fork server and
/// must outlive a segfault, so a crash or hang of the library is a Divergence naming it, and the
/// next input gets a fresh worker. Built with the README's coverage flags, the library's edges
/// go from the worker into the engine's shared map beside the reference parser's.
/// </summary>
public sealed class NativeCapChainTarget(IInfoSummaryParser parser) : IFuzzTarget
{
    public static NativeCapChainTarget Load(string library) => new(NativeImplementation.Load(library, isolated: true).CapChainParser());

    public void Run(ReadOnlySpan<byte> input) => ParserAgreement.CheckSummary(parser, input);
}
