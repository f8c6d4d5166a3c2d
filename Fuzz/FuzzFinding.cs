namespace Harness.Fuzz;

/// <summary>A target's verdict that an input exposes a bug: a disagreement with the model or a broken invariant. It escapes to the fuzzer as a crash.</summary>
public sealed class FuzzFinding(string message) : Exception(message);
