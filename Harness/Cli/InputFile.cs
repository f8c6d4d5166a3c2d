namespace Harness.Cli;

/// <summary>
/// Reads a user-named input, <c>-</c> for standard input, turning every way that can fail into one
/// clear line. Reads stream up to the kind's bound, so a device or a pipe costs bounded time and
/// memory: /dev/zero is refused after its first bound + 1 bytes.
/// </summary>
public static class InputFile
{
    /// <summary>The name of standard input, and for an output, of standard output.</summary>
    public const string StandardStream = "-";

    public static byte[] Read(string path, InputKind kind)
    {
        try
        {
            if (path.Length == 0)
                throw new CliException($"'': an empty name is no file ({kind.What} was expected)");
            if (Directory.Exists(path))
                throw new CliException($"{path}: is a directory, not {kind.What}");
            using var stream = path == StandardStream
                ? Console.OpenStandardInput()
                : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            return ReadBounded(stream, path, kind);
        }
        catch (FileNotFoundException)
        {
            throw new CliException($"{path}: no such file");
        }
        catch (DirectoryNotFoundException)
        {
            throw new CliException($"{path}: no such file");
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException($"{path}: permission denied");
        }
        catch (IOException e)
        {
            throw new CliException($"{path}: cannot read: {e.Message}");
        }
    }

    private static byte[] ReadBounded(Stream stream, string path, InputKind kind)
    {
        var buffer = new byte[Math.Min(kind.Bound + 1, 1 << 16)];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > kind.Bound)
                    throw new CliException($"{path}: more than {kind.BoundText}, the most harness reads of {kind.What}");
                Array.Resize(ref buffer, (int)Math.Min((long)kind.Bound + 1, 2L * buffer.Length));
            }

            int read = stream.Read(buffer, length, buffer.Length - length);
            if (read == 0)
                return buffer.AsSpan(0, length).ToArray();
            length += read;
        }
    }
}
