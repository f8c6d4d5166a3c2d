namespace Harness.Properties;

/// <summary>
/// The answers of a burst of allocations, consecutive ones told once: pfns an equal step apart
/// ("Ok pfn 0x100 to 0xf1 (16, step -1)"), or one errno repeated ("ENOMEM ×3"); the values are
/// pfns unless <paramref name="unit"/> says otherwise.
/// </summary>
public sealed class AnswerRuns(string unit = "pfn")
{
    private readonly List<string> closed = [];
    private ulong first;
    private ulong last;
    private ulong step;
    private string? failure;
    private int count;

    /// <summary>The next answer: a value handed out, or (with <paramref name="error"/>) an errno.</summary>
    public void Add(ulong pfn, string? error)
    {
        if (count > 0 && error == failure && (error is not null || count == 1 || unchecked(pfn - last) == step))
        {
            step = unchecked(pfn - last);
            last = pfn;
            count++;
            return;
        }

        Close();
        (first, last, step, failure, count) = (pfn, pfn, 0, error, 1);
    }

    public override string ToString()
    {
        Close();
        return string.Join(", ", closed);
    }

    private void Close()
    {
        if (count == 0)
            return;
        closed.Add(failure is not null ? (count == 1 ? failure : $"{failure} ×{count}")
            : count == 1 ? $"Ok {unit} 0x{first:x}"
            : $"Ok {unit} 0x{first:x} to 0x{last:x} ({count}, step {(long)step:+#;-#})");
        count = 0;
    }
}
