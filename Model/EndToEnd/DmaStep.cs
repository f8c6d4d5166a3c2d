namespace Harness.Model;

/// <summary>What one step of the end-to-end flow returned, and, when the layers below broke one of the flow's promises, which.</summary>
public readonly record struct DmaStep(string Outcome, string? Broken = null)
{
    public static DmaStep Violation(string broken) => new($"BROKEN: {broken}", broken);
}
