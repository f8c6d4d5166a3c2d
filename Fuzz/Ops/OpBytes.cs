namespace Harness.Fuzz;

/// <summary>
/// A fuzz input read as a surface byte, a setup record and then one record per call. Every byte
/// string is a valid program: a short last record is padded with zeros, and calls stop at
/// <see cref="MaxCalls"/>, which the fuzzers' maximum input length matches, so no byte is wasted.
/// </summary>
public sealed class OpBytes(byte[] input)
{
    public const int MaxCalls = 128;

    public const int MaxLength = 1 + OpRecord.Width + (MaxCalls * OpRecord.Width);

    private int position = 1;
    private int calls;

    /// <summary>Byte 0: which surface of the ABI the calls drive.</summary>
    public int Surface(int surfaces) => input.Length == 0 ? 0 : input[0] % surfaces;

    public OpRecord Setup() => Next();

    /// <summary>The next call's record; false once the input or the call budget is spent.</summary>
    public bool TryNextCall(out OpRecord record)
    {
        record = default;
        if (position >= input.Length || calls == MaxCalls)
            return false;
        calls++;
        record = Next();
        return true;
    }

    private OpRecord Next()
    {
        var record = OpRecord.From(input.AsSpan(Math.Min(position, input.Length)));
        position += OpRecord.Width;
        return record;
    }
}
