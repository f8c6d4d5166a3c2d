namespace Harness.Properties;

/// <summary>The implementation disagreed with the model, or broke an invariant: the property fails here.</summary>
public sealed class Divergence(string what, string? model = null, string? implementation = null)
    : Exception(model is null ? what : $"{what}: model {model}, implementation {implementation}")
{
    public string What { get; } = what;

    public string? Model { get; } = model;

    public string? Implementation { get; } = implementation;
}
