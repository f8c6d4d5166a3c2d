using System.Diagnostics.CodeAnalysis;

namespace Harness.Model;

/// <summary>
/// The userspace side of GET_INFO: any byte string in, either the parsed buffer or a
/// <see cref="CapChainError"/> out. Never throws, never loops, never reads outside the span.
/// </summary>
public interface ICapChainParser
{
    bool TryParse(ReadOnlySpan<byte> buffer, [NotNullWhen(true)] out ParsedInfo? info, out CapChainError error);
}
