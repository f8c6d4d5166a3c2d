using Harness.Implementation;
using Harness.Model;
using Harness.Tests.Contracts;

namespace Harness.Tests.Implementation;

public sealed class FastSysfsParserTests : SysfsParserContract
{
    protected override ISysfsParser Parser { get; } = new FastSysfsParser();
}
