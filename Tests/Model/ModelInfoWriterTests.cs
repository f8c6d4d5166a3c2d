using Harness.Model;
using Harness.Tests.Contracts;

namespace Harness.Tests.Model;

public sealed class ModelInfoWriterTests : InfoWriterContract
{
    protected override IInfoWriter Writer { get; } = new ModelInfoWriter();
}
