using Harness.Model;
using Harness.Tests.Contracts;

namespace Harness.Tests.Model;

public sealed class ModelCapChainParserTests : CapChainParserContract
{
    protected override ICapChainParser Parser { get; } = new ModelCapChainParser();
}
