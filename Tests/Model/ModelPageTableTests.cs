using Harness.Model;
using Harness.Tests.Contracts;

namespace Harness.Tests.Model;

public sealed class ModelPageTableTests : PageTableContract
{
    protected override IIoPageTable Create(IoPgtableConfig config) => new ModelPageTable(config);
}
