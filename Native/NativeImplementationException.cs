namespace Harness.Native;

/// <summary>A library that cannot be used: not loadable, no descriptor, another ABI version, an unknown profile, a table with holes.</summary>
public sealed class NativeImplementationException(string message) : Exception(message);
