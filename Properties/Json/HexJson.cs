using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.Model;

namespace Harness.Properties;

/// <summary>JSON for regression files: u64s as "0x…" strings, ranges and regions as small objects, enums by name; read strictly.</summary>
public static class HexJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,

        // Regression files are edited by hand: a missing field, a null where a value belongs or an unknown name is an error, never a default.
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowOutOfOrderMetadataProperties = true,
        Converters =
        {
            new U64Converter(),
            new RangeConverter(),
            new RegionConverter(),
            new JsonStringEnumConverter(),
        },
    };

    private sealed class U64Converter : JsonConverter<ulong>
    {
        public override ulong Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Number)
                return reader.GetUInt64();
            string text = reader.GetString() ?? throw new JsonException("a u64 must be a number or a \"0x…\" string");
            bool ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value)
                : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
            return ok ? value : throw new JsonException($"'{text}' is not a u64");
        }

        public override void Write(Utf8JsonWriter writer, ulong value, JsonSerializerOptions options) =>
            writer.WriteStringValue($"0x{value:x}");
    }

    private sealed class RangeConverter : JsonConverter<IovaRange>
    {
        public override IovaRange Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var fields = JsonSerializer.Deserialize<RangeFields>(ref reader, options) ?? throw new JsonException("a range must be an object");
            return fields.Last >= fields.Start ? new IovaRange(fields.Start, fields.Last) : throw new JsonException("a range's last is below its start");
        }

        public override void Write(Utf8JsonWriter writer, IovaRange value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, new RangeFields(value.Start, value.Last), options);
    }

    private sealed class RegionConverter : JsonConverter<ResvRegion>
    {
        public override ResvRegion Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var fields = JsonSerializer.Deserialize<RegionFields>(ref reader, options) ?? throw new JsonException("a region must be an object");
            return fields.Last >= fields.Start
                ? new ResvRegion(new IovaRange(fields.Start, fields.Last), fields.Prot, fields.Type)
                : throw new JsonException("a region's last is below its start");
        }

        public override void Write(Utf8JsonWriter writer, ResvRegion value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, new RegionFields(value.Start, value.Last, value.Type, value.Prot), options);
    }

    private sealed record RangeFields(ulong Start, ulong Last);

    private sealed record RegionFields(ulong Start, ulong Last, ResvType Type, IommuProt Prot);
}
