using Harness.Native;
using Harness.Properties;

namespace Harness.Fuzz;

/// <summary>
/// <c>capchain --native LIB</c>: a GET_INFO buffer through a native library's parser and the
/// model's reference parser (<see cref="ParserAgreement.CheckSummary"/>). The library runs in
/// the fuzz process, so its own crash or hang is the engine's finding; built with the README's
/// coverage flags, its edges go into the engine's map beside the harness's.
/// </summary>
public sealed class NativeCapChainTarget(IInfoSummaryParser parser) : IFuzzTarget
{
    public static NativeCapChainTarget Load(string library) => new(NativeImplementation.Load(library).CapChainParser());

    public void Run(ReadOnlySpan<byte> input) => ParserAgreement.CheckSummary(parser, input);
}
