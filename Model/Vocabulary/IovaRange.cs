namespace Harness.Model;

/// <summary>
/// An inclusive range <c>[Start, Last]</c> of u64 addresses or page frame numbers.
/// <c>Last &gt;= Start</c> always holds, so a range is never empty; its size can be 2^64,
/// which is why <see cref="Size"/> is a <see cref="UInt128"/>.
/// </summary>
public readonly record struct IovaRange
{
    public IovaRange(ulong start, ulong last)
    {
        if (last < start)
            ThrowInverted(start, last);
        Start = start;
        Last = last;
    }

    public ulong Start { get; }

    public ulong Last { get; }

    public UInt128 Size => (UInt128)Last - Start + 1;

    /// <summary>The range <c>[start, start + size - 1]</c>, or false when size is 0 or the end wraps past 2^64 - 1.</summary>
    public static bool TryFromSize(ulong start, ulong size, out IovaRange range)
    {
        range = default;
        if (size == 0 || start + (size - 1) < start)
            return false;
        range = new IovaRange(start, start + (size - 1));
        return true;
    }

    public static IovaRange FromSize(ulong start, ulong size) =>
        TryFromSize(start, size, out var range)
            ? range
            : throw new ArgumentOutOfRangeException(nameof(size), $"size 0x{size:x} at 0x{start:x} is empty or wraps");

    /// <summary>Kept out of the constructor so that the constructor inlines (hot paths build ranges by the million).</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ThrowInverted(ulong start, ulong last) =>
        throw new ArgumentOutOfRangeException(nameof(last), $"range last 0x{last:x} is below start 0x{start:x}");

    public bool Contains(ulong address) => Start <= address && address <= Last;

    public bool Contains(IovaRange other) => Start <= other.Start && other.Last <= Last;

    public bool Overlaps(IovaRange other) => Start <= other.Last && other.Start <= Last;

    /// <summary>Whether <paramref name="next"/> starts past this range with at least one address between: sorted, disjoint and not touching.</summary>
    public bool IsApartBefore(IovaRange next) => next.Start > Last && next.Start != Last + 1;

    public override string ToString() => $"[0x{Start:x}, 0x{Last:x}]";
}
