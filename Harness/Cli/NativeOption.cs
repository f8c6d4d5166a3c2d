using Harness.Native;

namespace Harness.Cli;

/// <summary><c>--native LIB.so</c>: the library loaded, or the one-line reason it cannot be used (exit 2).</summary>
public static class NativeOption
{
    public const string InProcessHelp = "with --native: run the library inside the harness (fastest; a crash or hang in it ends the run)";

    public static NativeImplementation? Load(string? path, bool inProcess)
    {
        if (path is null)
            return null;
        try
        {
            return NativeImplementation.Load(path, isolated: !inProcess);
        }
        catch (NativeImplementationException e)
        {
            throw new CliException($"--native {e.Message}");
        }
    }
}
