using Harness.Cli;
using Xunit;

namespace Harness.Tests.Cli;

/// <summary>Runs the harness command line in-process and keeps what it printed.</summary>
public sealed record CliResult(int ExitCode, string Out, string Err)
{
    /// <summary>A failure a user sees: the given exit code and exactly one line on stderr, no stack trace.</summary>
    public void AssertOneLineError(int exitCode, string contains)
    {
        Assert.Equal(exitCode, ExitCode);
        Assert.Equal("", Out);
        Assert.Single(Err.TrimEnd('\n').Split('\n'));
        Assert.Contains(contains, Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", Err, StringComparison.Ordinal);
    }
}

public static class Cli
{
    public static CliResult Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int code = HarnessCli.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>A scratch directory deleted after the test.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "harness-test-" + Guid.NewGuid().ToString("N")));

    public string Path { get; }

    public string File(string name, string text)
    {
        string path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public string File(string name, byte[] bytes)
    {
        string path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
