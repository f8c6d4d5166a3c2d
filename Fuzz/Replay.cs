namespace Harness.Fuzz;

/// <summary>Runs a target over files, uninstrumented: how crashes are reproduced and how committed inputs stay regression tests.</summary>
public static class Replay
{
    /// <summary>The outcome of one input: null when the target accepted it, else the exception it threw.</summary>
    public static Exception? RunOne(IFuzzTarget target, byte[] input)
    {
        try
        {
            target.Run(input);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>Every regular file named, directories searched recursively, in a stable order; README files are skipped.</summary>
    public static IEnumerable<string> Inputs(IEnumerable<string> paths) =>
        paths.SelectMany(path => Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : (IEnumerable<string>)[path])
            .Where(path => !Path.GetFileName(path).StartsWith("README", StringComparison.Ordinal));

    /// <summary>Prints one line per crashing input and a summary; returns the number of crashes.</summary>
    public static int Run(string name, IFuzzTarget target, IEnumerable<string> paths, TextWriter output)
    {
        int inputs = 0, crashes = 0;
        foreach (string path in Inputs(paths))
        {
            inputs++;
            if (RunOne(target, File.ReadAllBytes(path)) is Exception e)
            {
                crashes++;
                output.WriteLine($"crash {path}: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            }
        }

        output.WriteLine($"{name}: {inputs} inputs, {crashes} crashes");
        return crashes;
    }
}
