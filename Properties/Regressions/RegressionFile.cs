using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Properties;

/// <summary>
/// A shrunk counterexample kept as a test: the property, the concrete setup and calls (not only
/// a seed, which stops meaning anything when generators change), and how it failed when found.
/// Stored as JSON under <c>corpus/regressions/PROPERTY/</c>, named by a hash of its content.
/// </summary>
public sealed record RegressionFile(string Property, string Failure, string? Replay, JsonElement Setup, JsonElement Ops)
{
    public const string FormatName = "harness-regression-1";

    /// <summary>On disk: format, property, setup and ops are required; failure and replay only describe how it was found.</summary>
    private sealed record Stored(
        [property: JsonPropertyOrder(-1)] string Format,
        [property: JsonPropertyOrder(-1)] string Property,
        JsonElement Setup,
        JsonElement Ops,
        [property: JsonPropertyOrder(-1)] string Failure = "",
        [property: JsonPropertyOrder(-1)] string? Replay = null);

    /// <exception cref="RegressionFileException">The file is not a regression file; the message names the file and the field.</exception>
    public static RegressionFile Parse(string path, byte[] json)
    {
        Stored? stored;
        try
        {
            stored = JsonSerializer.Deserialize<Stored>(json, HexJson.Options);
        }
        catch (JsonException e)
        {
            throw new RegressionFileException($"{path}: not a regression file: {e.Message}");
        }

        string? problem = stored switch
        {
            null => "the file is null, not an object",
            { Format: not FormatName } => $"format '{stored.Format}': this harness reads {FormatName}",
            { Property.Length: 0 } => "property is empty",
            { Setup.ValueKind: not JsonValueKind.Object } => $"setup must be an object, not {stored.Setup.ValueKind}",
            { Ops.ValueKind: not JsonValueKind.Array } => $"ops must be an array, not {stored.Ops.ValueKind}",
            _ => null,
        };
        return problem is null
            ? new RegressionFile(stored!.Property, stored.Failure, stored.Replay, stored.Setup, stored.Ops)
            : throw new RegressionFileException($"{path}: {problem}");
    }

    public byte[] ToJson() =>
        JsonSerializer.SerializeToUtf8Bytes(new Stored(FormatName, Property, Setup, Ops, Failure, Replay), HexJson.Options);

    /// <summary>Writes the file (atomically) under <paramref name="regressionsDirectory"/>/PROPERTY/; returns its path.</summary>
    public string Save(string regressionsDirectory)
    {
        string directory = Path.Combine(regressionsDirectory, Property);
        Directory.CreateDirectory(directory);
        string content = Setup.GetRawText() + Ops.GetRawText();
        string name = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(content)))[..12].ToLowerInvariant() + ".json";
        string path = Path.Combine(directory, name);
        AtomicFile.WriteAllBytes(path, ToJson());
        return path;
    }
}

/// <summary>A regression file that cannot be read: one line saying which file and what is wrong.</summary>
public sealed class RegressionFileException(string message) : Exception(message);
