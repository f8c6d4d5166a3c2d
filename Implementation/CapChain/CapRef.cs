using Harness.Model;

namespace Harness.Implementation;

/// <summary>One capability header of a validated chain.</summary>
public readonly record struct CapRef(int Offset, ushort Id, ushort Version, uint Next)
{
    public bool IsKnown => Version == Type1Info.CapVersion && Id is >= (ushort)CapId.IovaRange and <= (ushort)CapId.DmaAvail;
}
