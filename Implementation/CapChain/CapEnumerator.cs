using Harness.Model;

namespace Harness.Implementation;

/// <summary>Walks a validated chain's headers; the chain was checked, so this cannot fail or loop.</summary>
public ref struct CapEnumerator
{
    private readonly ReadOnlySpan<byte> data;
    private uint next;

    internal CapEnumerator(ReadOnlySpan<byte> data, uint first)
    {
        this.data = data;
        next = first;
    }

    public CapRef Current { get; private set; }

    public readonly CapEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (next == 0)
            return false;
        int at = (int)next;
        next = InfoBytes.U32(data, at + CapHeader.NextOffset);
        Current = new CapRef(at, InfoBytes.U16(data, at + CapHeader.IdOffset), InfoBytes.U16(data, at + CapHeader.VersionOffset), next);
        return true;
    }
}
