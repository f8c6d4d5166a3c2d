namespace Harness.Properties;

/// <summary>
/// Candidate simplifications of a failing call list, most drastic first: drop the second half,
/// the first half, then single calls from the end; then replace one call by a simpler one. FsCheck
/// keeps the first candidate that still fails and starts over from it.
/// </summary>
public static class OpListShrinker
{
    public static IEnumerable<IReadOnlyList<Op<TSubject>>> Shrink<TSubject>(IReadOnlyList<Op<TSubject>> ops)
    {
        for (int chunk = ops.Count / 2; chunk >= 2; chunk /= 2)
        {
            for (int start = ops.Count - chunk; start >= 0; start -= chunk)
                yield return [.. ops.Take(start), .. ops.Skip(start + chunk)];
        }

        for (int i = ops.Count - 1; i >= 0; i--)
            yield return [.. ops.Take(i), .. ops.Skip(i + 1)];

        for (int i = 0; i < ops.Count; i++)
        {
            foreach (var simpler in ops[i].Shrink())
                yield return [.. ops.Take(i), simpler, .. ops.Skip(i + 1)];
        }
    }
}
