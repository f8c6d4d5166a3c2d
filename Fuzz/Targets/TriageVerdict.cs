using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.Properties;

namespace Harness.Fuzz;

/// <summary>
/// What replaying one input uninstrumented showed, as <c>Harness.Fuzz TARGET --triage FILE</c>
/// prints it for <c>harness fuzz</c>: whether it crashed, the crash's signature and one-line
/// summary, the full report, and for an <c>ops</c> divergence the regression file.
/// </summary>
public sealed record TriageVerdict(bool Crashed, string? Signature, string? Summary, string? Report, JsonElement? Regression)
{
    private static readonly JsonSerializerOptions Options = new(HexJson.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false, RespectRequiredConstructorParameters = false };

    public static TriageVerdict Of(Exception? e) => e switch
    {
        null => new TriageVerdict(false, null, null, null, null),
        FuzzFinding found when found.Shrunk() is var shrunk => new TriageVerdict(true, CrashSignature.Of(found), CrashSignature.Summary(shrunk), shrunk.ToString(), RegressionOf(shrunk)),
        _ => new TriageVerdict(true, CrashSignature.Of(e), CrashSignature.Summary(e), e.ToString(), null),
    };

    private static JsonElement RegressionOf(FuzzFinding finding) => JsonDocument.Parse(finding.Counterexample.File.ToJson()).RootElement;

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static TriageVerdict? FromJson(string json) => JsonSerializer.Deserialize<TriageVerdict>(json, Options);
}
