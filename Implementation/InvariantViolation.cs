namespace Harness.Implementation;

/// <summary>Thrown by a <c>CheckInvariants()</c> when a structure is internally inconsistent: always a bug in this assembly.</summary>
public sealed class InvariantViolation(string message) : Exception(message);
