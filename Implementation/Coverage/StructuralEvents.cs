using System.Runtime.CompilerServices;

namespace Harness.Implementation;

/// <summary>
/// Counts of <see cref="StructuralEvent"/>s, kept per thread and only inside <see cref="Counted{T}"/>
/// (<c>harness check --coverage</c>, the CI property run): elsewhere each event site costs one
/// thread-local load and a branch not taken. Per thread, so that one caller counting never turns
/// another's counting on or off.
/// </summary>
public static class StructuralEvents
{
    public static readonly int Count = Enum.GetValues<StructuralEvent>().Length;

    [ThreadStatic]
    private static long[]? counts;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Note(StructuralEvent what)
    {
        if (counts is { } tally)
            tally[(int)what]++;
    }

    /// <summary>Runs <paramref name="body"/> on this thread counting its events, and gives back what it reached, by event.</summary>
    public static T Counted<T>(Func<T> body, out long[] reached)
    {
        var outer = counts;
        reached = new long[Count];
        counts = reached;
        try
        {
            return body();
        }
        finally
        {
            counts = outer;
        }
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
}
