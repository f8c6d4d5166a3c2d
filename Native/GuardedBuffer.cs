using System.Runtime.InteropServices;

namespace Harness.Native;

/// <summary>
/// Where an in-process parse puts its input: flush against an unmapped page, as the worker does,
/// so a parser reading past the end faults at once (a crash the fuzzer or the run sees) instead
/// of reading the managed heap. One mapping per thread, grown as needed, never freed.
/// </summary>
internal static unsafe partial class GuardedBuffer
{
    private const int ProtNone = 0, ProtReadWrite = 3, MapPrivateAnonymous = 0x22;

    [ThreadStatic]
    private static byte* map;

    [ThreadStatic]
    private static nuint mapped;

    /// <summary>A copy of <paramref name="input"/> whose last byte is the last before the guard page.</summary>
    public static byte* Copy(ReadOnlySpan<byte> input)
    {
        nuint page = (nuint)Environment.SystemPageSize;
        nuint need = (((nuint)input.Length + page - 1) / page * page) + page;
        if (need > mapped)
        {
            if (map is not null)
                _ = munmap(map, mapped);
            map = (byte*)mmap(null, need, ProtReadWrite, MapPrivateAnonymous, -1, 0);
            if (map == (byte*)-1 || mprotect(map + need - page, page, ProtNone) != 0)
                throw new InvalidOperationException($"could not map a guarded buffer: errno {Marshal.GetLastPInvokeError()}");
            mapped = need;
        }

        byte* at = map + mapped - page - (nuint)input.Length;
        input.CopyTo(new Span<byte>(at, input.Length));
        return at;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial void* mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int mprotect(void* address, nuint length, int protection);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int munmap(void* address, nuint length);
}
