using Harness.Properties;

namespace Harness.Cli;

/// <summary>Writes a user-named output file whole or not at all, turning failures into one clear line.</summary>
public static class OutputFile
{
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        try
        {
            AtomicFile.WriteAllBytes(path, bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: cannot write: {e.Message}");
        }
    }
}
