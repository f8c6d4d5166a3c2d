using Harness.Model;
using Harness.Tests.Contracts;

namespace Harness.Tests.Model;

public sealed class ModelLinuxIovaTests : LinuxIovaContract
{
    protected override IIovaAllocator Create(IovaDomain domain) => new ModelLinuxIova(domain);
}
