using System.Text.Json;
using Harness.Model;

namespace Harness.Cli.Commands;

/// <summary>A parsed GET_INFO buffer for people (text) and for machines (JSON, u64s as hex strings).</summary>
public static class InfoDescription
{
    public static string CapName(InfoCap cap) => cap switch
    {
        IovaRangeInfoCap => "IOVA_RANGE",
        MigrationInfoCap => "MIGRATION",
        DmaAvailInfoCap => "DMA_AVAIL",
        _ => "unknown",
    };

    public static string Text(ParsedInfo info)
    {
        var text = new StringWriter { NewLine = "\n" };
        text.WriteLine($"vfio_iommu_type1_info ({info.Length} bytes, {Math.Min(info.Argsz, (uint)info.Length)} read)");
        text.WriteLine($"  argsz         {info.Argsz}");
        text.WriteLine($"  flags         0x{info.Flags:x} ({FlagNames(info.Flags)})");
        text.WriteLine($"  iova_pgsizes  0x{info.IovaPgsizes:x} ({SizeNames.Of(info.IovaPgsizes)})");
        text.WriteLine($"  cap_offset    {info.CapOffset}");
        if (info.Truncated)
            text.WriteLine($"  truncated: the kernel needs argsz {info.Argsz} but the buffer holds {info.Length} bytes; retry with a larger buffer");
        foreach (var cap in info.Caps)
        {
            text.WriteLine($"  cap @{cap.Offset}  {CapName(cap)} (id {cap.Id}, version {cap.Version}), next {cap.Next}");
            switch (cap)
            {
                case MigrationInfoCap m:
                    text.WriteLine($"    flags 0x{m.Flags:x}  pgsize_bitmap 0x{m.PgsizeBitmap:x}  max_dirty_bitmap_size 0x{m.MaxDirtyBitmapSize:x}");
                    break;
                case DmaAvailInfoCap d:
                    text.WriteLine($"    avail {d.Avail}");
                    break;
                case IovaRangeInfoCap r:
                    text.WriteLine($"    nr_iovas {r.Ranges.Count}");
                    foreach (var range in r.Ranges)
                        text.WriteLine($"    {Hex.U64(range.Start)} {Hex.U64(range.Last)}");
                    break;
            }
        }

        if (info.IovaRanges is null && !info.Truncated)
            text.WriteLine("  no IOVA_RANGE capability: the kernel predates v5.4, the valid IOVA ranges are unknown");
        return text.ToString();
    }

    public static string Json(ParsedInfo info)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteNumber("length", info.Length);
            json.WriteNumber("argsz", info.Argsz);
            json.WriteString("flags", $"0x{info.Flags:x}");
            json.WriteString("iova_pgsizes", Hex.U64(info.IovaPgsizes));
            json.WriteNumber("cap_offset", info.CapOffset);
            json.WriteBoolean("truncated", info.Truncated);
            json.WriteStartArray("caps");
            foreach (var cap in info.Caps)
                WriteCap(json, cap);
            json.WriteEndArray();
            if (info.IovaRanges is { } ranges)
                WriteRanges(json, "iova_ranges", ranges);
            else
                json.WriteNull("iova_ranges");
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    public static string JsonError(CapChainError error)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteString("check", error.Check.ToString());
            json.WriteNumber("offset", error.Offset);
            json.WriteString("value", Hex.U64(error.Value));
            json.WriteString("message", error.Message);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteCap(Utf8JsonWriter json, InfoCap cap)
    {
        json.WriteStartObject();
        json.WriteNumber("offset", cap.Offset);
        json.WriteNumber("id", cap.Id);
        json.WriteString("name", CapName(cap));
        json.WriteNumber("version", cap.Version);
        json.WriteNumber("next", cap.Next);
        switch (cap)
        {
            case MigrationInfoCap m:
                json.WriteString("flags", $"0x{m.Flags:x}");
                json.WriteString("pgsize_bitmap", Hex.U64(m.PgsizeBitmap));
                json.WriteString("max_dirty_bitmap_size", Hex.U64(m.MaxDirtyBitmapSize));
                break;
            case DmaAvailInfoCap d:
                json.WriteNumber("avail", d.Avail);
                break;
            case IovaRangeInfoCap r:
                WriteRanges(json, "ranges", r.Ranges);
                break;
        }

        json.WriteEndObject();
    }

    public static void WriteRanges(Utf8JsonWriter json, string name, IEnumerable<IovaRange> ranges)
    {
        json.WriteStartArray(name);
        foreach (var range in ranges)
        {
            json.WriteStartObject();
            json.WriteString("start", Hex.U64(range.Start));
            json.WriteString("last", Hex.U64(range.Last));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static string FlagNames(uint flags)
    {
        var names = new List<string>();
        if ((flags & (uint)InfoFlags.Pgsizes) != 0)
            names.Add("PGSIZES");
        if ((flags & (uint)InfoFlags.Caps) != 0)
            names.Add("CAPS");
        if ((flags & ~(uint)(InfoFlags.Pgsizes | InfoFlags.Caps)) != 0)
            names.Add("unknown bits");
        return names.Count == 0 ? "none" : string.Join(' ', names);
    }
}
