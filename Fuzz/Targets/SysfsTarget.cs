using Harness.Implementation;
using Harness.Model;
using Harness.Properties;

namespace Harness.Fuzz;

/// <summary>
/// <c>sysfs</c>: a reserved_regions text through the fast reader and the model's parser
/// (<see cref="SysfsAgreement"/>): same verdict, same error, same regions, and a round trip.
/// </summary>
public sealed class SysfsTarget(ISysfsParser parser) : IFuzzTarget
{
    public SysfsTarget()
        : this(new FastSysfsParser())
    {
    }

    public void Run(ReadOnlySpan<byte> input) => SysfsAgreement.Check(parser, input);
}
