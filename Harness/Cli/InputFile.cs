namespace Harness.Cli;

/// <summary>Reads a user-named file, turning every way that can fail into one clear line.</summary>
public static class InputFile
{
    public static byte[] ReadAllBytes(string path)
    {
        try
        {
            if (Directory.Exists(path))
                throw new CliException($"{path}: is a directory, not a file");
            return File.ReadAllBytes(path);
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
}
