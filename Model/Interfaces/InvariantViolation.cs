namespace Harness.Model;

/// <summary>Thrown by <see cref="IInvariantChecked.CheckInvariants"/> when a structure is internally inconsistent: the one invariant error type.</summary>
public sealed class InvariantViolation(string message) : Exception(message);
