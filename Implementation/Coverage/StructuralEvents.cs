using System.Runtime.CompilerServices;

namespace Harness.Implementation;

/// <summary>
/// Counts of <see cref="StructuralEvent"/>s on the current thread, kept only while
/// <see cref="Enabled"/> (<c>harness check --coverage</c>): off, each event site costs one load
/// and a branch not taken.
/// </summary>
public static class StructuralEvents
{
    public static readonly int Count = Enum.GetValues<StructuralEvent>().Length;

    [ThreadStatic]
    private static long[]? counts;

    public static bool Enabled { get; set; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Note(StructuralEvent what)
    {
        if (Enabled)
            Add(what);
    }

    /// <summary>This thread's counts since the last take, by event, and a fresh start.</summary>
    public static long[] Take()
    {
        var taken = counts ?? new long[Count];
        counts = null;
        return taken;
    }

    /// <summary>The part of the Implementation an event is in (the enum lists each part's events together).</summary>
    public static string Subsystem(StructuralEvent what) => what switch
    {
        <= StructuralEvent.TreeSummaryRescan => "tree",
        <= StructuralEvent.RcacheFlush => "rcache",
        <= StructuralEvent.PageTableTableFree => "page table",
        <= StructuralEvent.ContainerMsiWindowFull => "container",
        _ => "parser",
    };

    /// <summary>Every event of one part (<see cref="Subsystem"/>), in the enum's order.</summary>
    public static IReadOnlyList<StructuralEvent> Of(params string[] parts) =>
        [.. Enum.GetValues<StructuralEvent>().Where(e => parts.Contains(Subsystem(e)))];

    private static void Add(StructuralEvent what) => (counts ??= new long[Count])[(int)what]++;
}
