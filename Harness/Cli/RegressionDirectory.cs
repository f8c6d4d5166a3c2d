namespace Harness.Cli;

/// <summary>
/// Where regression files go by default: corpus/regressions of the checkout the user stands in,
/// replayed by dotnet test; a planted bug's go to findings/planted-regressions, never the corpus
/// (a planted bug fails forever), a native library's to findings/native, and conform's to findings/conform.
/// </summary>
public static class RegressionDirectory
{
    public static string Default() => Path.Combine(Root(), "corpus", "regressions");

    public static string Planted() => Path.Combine(Root(), "findings", "planted-regressions");

    /// <summary>Where a native library's counterexamples go: they are the library's, not regressions of this implementation.</summary>
    public static string Native() => Path.Combine(Root(), "findings", "native");

    /// <summary>Where conform keeps what it builds and finds: a divergence from a kernel is not a regression of ours.</summary>
    public static string Conform() => Path.Combine(Root(), "findings", "conform");

    private static string Root() => Checkout.Find() ?? Environment.CurrentDirectory;
}
