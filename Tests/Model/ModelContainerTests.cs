using Harness.Model;
using Harness.Tests.Contracts;

namespace Harness.Tests.Model;

public sealed class ModelContainerTests : ContainerContract
{
    protected override IVfioContainer Create(InfoLayout layout, uint dmaEntryLimit, IovaListRules listRules, FindDmaRules findDma) => new ModelContainer(layout, dmaEntryLimit, listRules, findDma);
}
