using Harness.Implementation;
using Harness.Model;
using Harness.Properties;

namespace Harness.Fuzz;

/// <summary>
/// <c>capchain</c>: a GET_INFO buffer through the parser under test and the model's reference
/// parser (<see cref="ParserAgreement"/>); any disagreement is a <see cref="Divergence"/>, a crash.
/// </summary>
public sealed class CapChainTarget(ICapChainParser parser) : IFuzzTarget
{
    public CapChainTarget()
        : this(new FastCapChainParser())
    {
    }

    public void Run(ReadOnlySpan<byte> input) => ParserAgreement.Check(parser, input);
}
