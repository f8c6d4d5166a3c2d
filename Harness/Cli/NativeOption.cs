using Harness.Native;

namespace Harness.Cli;

/// <summary><c>--native LIB.so</c>: the library loaded, or the one-line reason it cannot be used (exit 2).</summary>
public static class NativeOption
{
    public static NativeImplementation? Load(string? path)
    {
        if (path is null)
            return null;
        try
        {
            return NativeImplementation.Load(path);
        }
        catch (NativeImplementationException e)
        {
            throw new CliException($"--native {e.Message}");
        }
    }
}
