namespace Harness.Cli;

/// <summary>The checkout the user stands in: the nearest directory at or above the current one holding Harness.sln.</summary>
public static class Checkout
{
    public static string? Find()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Harness.sln")))
                return dir.FullName;
        }

        return null;
    }
}
