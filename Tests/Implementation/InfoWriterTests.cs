using Harness.Implementation;
using Harness.Model;
using Harness.Tests.Contracts;

namespace Harness.Tests.Implementation;

public sealed class InfoWriterTests : InfoWriterContract
{
    protected override IInfoWriter Writer { get; } = new InfoWriter();
}
