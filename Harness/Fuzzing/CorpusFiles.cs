using System.Security.Cryptography;
using Harness.Properties;

namespace Harness.Cli.Fuzzing;

/// <summary>Corpus directories whose files are named by their content, so merging twice adds nothing.</summary>
public static class CorpusFiles
{
    public static string NameOf(byte[] content) => Convert.ToHexString(SHA256.HashData(content))[..16].ToLowerInvariant();

    /// <summary>Copies each file whose content the directory does not hold yet, atomically, under its content name; returns the paths written.</summary>
    public static IReadOnlyList<string> AddByContent(string directory, IEnumerable<string> files)
    {
        Directory.CreateDirectory(directory);
        var present = Directory.EnumerateFiles(directory).Select(f => NameOf(File.ReadAllBytes(f))).ToHashSet();
        var added = new List<string>();
        foreach (string file in files)
        {
            byte[] content = File.ReadAllBytes(file);
            string name = NameOf(content);
            if (!present.Add(name))
                continue;
            string path = Path.Combine(directory, name);
            AtomicFile.WriteAllBytes(path, content);
            added.Add(path);
        }

        return added;
    }

    public static IEnumerable<string> Regular(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory).Where(f => !Path.GetFileName(f).StartsWith('.') && !Path.GetFileName(f).StartsWith("README", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            : [];
}
