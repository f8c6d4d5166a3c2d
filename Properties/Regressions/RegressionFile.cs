using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Harness.Properties;

/// <summary>
/// A shrunk counterexample kept as a test: the property, the concrete setup and calls (not only
/// a seed, which stops meaning anything when generators change), and how it failed when found.
/// Stored as JSON under <c>corpus/regressions/PROPERTY/</c>, named by a hash of its content.
/// </summary>
public sealed record RegressionFile(string Property, string Failure, string? Replay, JsonElement Setup, JsonElement Ops)
{
    public const string FormatName = "harness-regression-1";

    private sealed record Stored(string Format, string Property, string Failure, string? Replay, JsonElement Setup, JsonElement Ops);

    /// <exception cref="RegressionFileException">The file is not a regression file; the message says why.</exception>
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

        if (stored is null || stored.Format != FormatName || string.IsNullOrEmpty(stored.Property)
            || stored.Setup.ValueKind != JsonValueKind.Object || stored.Ops.ValueKind != JsonValueKind.Array)
            throw new RegressionFileException($"{path}: not a {FormatName} file (needs format, property, setup and ops)");
        return new RegressionFile(stored.Property, stored.Failure ?? "", stored.Replay, stored.Setup, stored.Ops);
    }

    public byte[] ToJson() =>
        JsonSerializer.SerializeToUtf8Bytes(new Stored(FormatName, Property, Failure, Replay, Setup, Ops), HexJson.Options);

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
