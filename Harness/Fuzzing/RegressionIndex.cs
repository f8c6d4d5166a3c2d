using System.Text;
using Harness.Properties;

namespace Harness.Cli.Fuzzing;

/// <summary>
/// README.md beside a target's minimized crashers: one line per file saying what it crashed
/// with, so a reader of corpus/regressions/TARGET/ knows what each file guards against.
/// </summary>
public static class RegressionIndex
{
    private const string FileName = "README.md";

    public static void Add(string directory, string input, string summary)
    {
        string path = Path.Combine(directory, FileName);
        var lines = File.Exists(path)
            ? File.ReadAllLines(path).ToList()
            : [$"# Minimized crashers of the {Path.GetFileName(directory)} fuzz target", "", "Each file once made the target fail as its line says; `dotnet test` replays every one.", ""];
        if (lines.Any(l => l.StartsWith($"- `{input}`", StringComparison.Ordinal)))
            return;
        lines.Add($"- `{input}`: {OneLine(summary)} (harness fuzz, {DateTime.UtcNow:yyyy-MM-dd})");
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
    }

    private static string OneLine(string text) => string.Join(' ', text.Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
