using System.Text.RegularExpressions;
using Harness.Properties;
using Microsoft.Win32.SafeHandles;

namespace Harness.Cli;

/// <summary>
/// Writes a user-named output: <c>-</c>, /dev/stdout and any other name for one of this process's
/// file descriptors write to that descriptor; a regular file (or a new one) is replaced atomically,
/// whole or not at all; a symlink is written through, replacing its target; a device or FIFO is
/// written in place. Nothing else is touched.
/// </summary>
public static partial class OutputFile
{
    private const int StandardOutput = 1;

    /// <summary>Writes the bytes; true when they went to standard output (so nothing else should be printed there).</summary>
    public static bool Write(string path, ReadOnlySpan<byte> bytes)
    {
        if (path.Length == 0)
            throw new CliException("-o '': expected a file name, or - for standard output");
        try
        {
            var (target, descriptor) = path == InputFile.StandardStream ? (path, StandardOutput) : Resolve(path);
            if (descriptor is int fd)
            {
                using var handle = new SafeFileHandle(fd, ownsHandle: false);
                using var stream = new FileStream(handle, FileAccess.Write, bufferSize: 0);
                stream.Write(bytes);
                return fd == StandardOutput;
            }

            switch (FileKinds.Of(target))
            {
                case FileKind.Directory:
                    throw new CliException($"{path}: is a directory");
                case FileKind.Special:
                    using (var stream = new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0))
                        stream.Write(bytes);
                    return false;
                default:
                    AtomicFile.WriteAllBytes(target, bytes);
                    return false;
            }
        }
        catch (DirectoryNotFoundException)
        {
            throw new CliException($"{path}: cannot write: no such directory");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: cannot write: {e.Message}");
        }
    }

    /// <summary>Where a symlink chain ends (the path itself if it is no link), or the descriptor it names when it passes through /proc/self/fd or /dev/fd.</summary>
    private static (string Target, int? Descriptor) Resolve(string path)
    {
        string current = Path.GetFullPath(path);
        for (int hop = 0; hop < 40; hop++)
        {
            if (OwnDescriptor().Match(current) is { Success: true } match)
                return (current, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            if (new FileInfo(current).LinkTarget is not string next)
                return (current, null);
            current = Path.GetFullPath(next, Path.GetDirectoryName(current)!);
        }

        throw new CliException($"{path}: too many levels of symbolic links");
    }

    [GeneratedRegex(@"^/(?:proc/self/fd|dev/fd)/(\d{1,9})$")]
    private static partial Regex OwnDescriptor();
}
