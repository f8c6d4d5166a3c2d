using Harness.Implementation;
using Harness.Model;
using Harness.Tests.Contracts;

namespace Harness.Tests.Implementation;

public sealed class FastCapChainParserTests : CapChainParserContract
{
    protected override ICapChainParser Parser { get; } = new FastCapChainParser();
}
