namespace Harness.Tests;

/// <summary>The checkout the tests run from: the directory above the test binaries that holds Harness.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Corpus(params string[] parts) => System.IO.Path.Combine([Path, "corpus", .. parts]);

    /// <summary>Under findings/, which git ignores: what a test run leaves for a person to look at.</summary>
    public static string Findings(params string[] parts) => System.IO.Path.Combine([Path, "findings", .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Harness.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException($"no Harness.sln above {AppContext.BaseDirectory}");
    }
}
