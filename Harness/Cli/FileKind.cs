using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Harness.Cli;

/// <summary>What a path names once symlinks are followed, as <c>statx(2)</c> reports it.</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,

    /// <summary>A device, FIFO or socket: written in place, never replaced.</summary>
    Special,
}

public static class FileKinds
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 1;

    // struct statx is one layout on every Linux architecture: 256 bytes, stx_mode a u16 at 28.
    private const int StatxSize = 256;
    private const int ModeOffset = 28;
    private const int TypeMask = 0xF000, RegularType = 0x8000, DirectoryType = 0x4000;

    public static FileKind Of(string path)
    {
        var buffer = new byte[StatxSize];
        if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
            return FileKind.Missing;
        return (BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(ModeOffset)) & TypeMask) switch
        {
            RegularType => FileKind.Regular,
            DirectoryType => FileKind.Directory,
            _ => FileKind.Special,
        };
    }

    [DllImport("libc", EntryPoint = "statx", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Statx(int dirfd, string path, int flags, uint mask, byte[] buffer);
}
