namespace Harness.Cli;

/// <summary>
/// Where regression files go by default: corpus/regressions of the checkout the user stands in,
/// replayed by dotnet test; a planted bug's go to findings/planted-regressions, never the corpus
/// (a planted bug fails forever).
/// </summary>
public static class RegressionDirectory
{
    public static string Default() => Path.Combine(Root(), "corpus", "regressions");

    public static string Planted() => Path.Combine(Root(), "findings", "planted-regressions");

    private static string Root() => Checkout.Find() ?? Environment.CurrentDirectory;
}
