using System.Text.RegularExpressions;

namespace Harness.Properties;

/// <summary>The implementation disagreed with the model, or broke an invariant: the property fails here.</summary>
public sealed partial class Divergence(string what, string? model = null, string? implementation = null)
    : Exception(model is null ? what : $"{what}: model {model}, implementation {implementation}")
{
    public string What { get; } = what;

    public string? Model { get; } = model;

    public string? Implementation { get; } = implementation;

    /// <summary>What went wrong without its numbers: one off-by-one hit at different addresses is one kind.</summary>
    public string Kind => KindOf(What);

    public static string KindOf(string what) => Numbers().Replace(what, "N");

    [GeneratedRegex(@"\b(0x[0-9a-fA-F]+|\d+)\b")]
    private static partial Regex Numbers();
}
