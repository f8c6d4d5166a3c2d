namespace Harness.Cli;

/// <summary>
/// Where regression files go by default: corpus/regressions of the checkout the user stands in,
/// replayed by dotnet test; a planted bug's go to findings/planted-regressions, never the corpus
/// (a planted bug fails forever).
/// </summary>
public static class RegressionDirectory
{
    public static string Default() => Path.Combine(Checkout(), "corpus", "regressions");

    public static string Planted() => Path.Combine(Checkout(), "findings", "planted-regressions");

    private static string Checkout()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Harness.sln")))
                return dir.FullName;
        }

        return Environment.CurrentDirectory;
    }
}
