using System.Text.Json;
using Harness.Model;

namespace Harness.Cli.Commands;

/// <summary><c>{"regions":[{"start","last","type"}],"valid":[{"start","last"}]}</c>, u64s as hex strings.</summary>
public static class RegionsJson
{
    public static string Of(IEnumerable<ResvRegion> regions, IEnumerable<IovaRange>? valid)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("regions");
            foreach (var region in regions)
            {
                json.WriteStartObject();
                json.WriteString("start", Hex.U64(region.Start));
                json.WriteString("last", Hex.U64(region.Last));
                json.WriteString("type", SysfsFormat.TypeName(region.Type));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (valid is not null)
                InfoDescription.WriteRanges(json, "valid", valid);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
