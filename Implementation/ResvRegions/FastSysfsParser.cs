using Harness.Model;

namespace Harness.Implementation;

/// <summary><see cref="ResvRegionReader"/> behind the common parser interface, so the two parsers are held to one contract.</summary>
public sealed class FastSysfsParser : ISysfsParser
{
    public bool TryParse(ReadOnlySpan<byte> text, out List<ResvRegion> regions, out SysfsError error)
    {
        regions = [];
        var reader = new ResvRegionReader(text);
        while (reader.TryRead(out var region))
            regions.Add(region);
        error = reader.Error ?? default;
        return reader.Error is null;
    }
}
