using System.Globalization;

namespace Harness.Cli;

/// <summary>How harness writes and reads u64 values: 0x and 16 hex digits out; 0x-hex or decimal in.</summary>
public static class Hex
{
    public static string U64(ulong value) => $"0x{value:x16}";

    public static bool TryParseU64(string text, out ulong value)
    {
        text = text.Trim().Replace("_", "", StringComparison.Ordinal);
        return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && text.Length > 2
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Parses <c>START-LAST</c> (inclusive), e.g. <c>0x0-0xffffffffffff</c>.</summary>
    public static bool TryParseRange(string text, out Harness.Model.IovaRange range)
    {
        range = default;
        int dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !TryParseU64(text[..dash], out ulong start) || !TryParseU64(text[(dash + 1)..], out ulong last) || last < start)
            return false;
        range = new Harness.Model.IovaRange(start, last);
        return true;
    }
}
