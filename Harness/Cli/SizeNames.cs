namespace Harness.Cli;

/// <summary>Page-size bitmaps the way people say them: "4K 2M 1G".</summary>
public static class SizeNames
{
    private static readonly string[] Units = ["", "K", "M", "G", "T", "P", "E"];

    public static string Of(ulong bitmap)
    {
        var names = new List<string>();
        for (int bit = 0; bit < 64; bit++)
        {
            if ((bitmap & (1UL << bit)) != 0)
                names.Add($"{1UL << (bit % 10)}{Units[bit / 10]}");
        }

        return names.Count == 0 ? "none" : string.Join(' ', names);
    }
}
